using System.Security.Cryptography;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pipeline.Contracts.Storage.V1;
using Router.Service.Spool;
using Router.Service.Tests.TestSupport;

namespace Router.Service.Tests.Spool;

/// <summary>The spool folder itself: durable entries that survive a restart, in order, removed or quarantined explicitly.</summary>
public sealed class ImageSpoolTests : IDisposable
{
    private readonly TempDirectory _root = new("image-spool");
    private ImageSpool? _open;

    public void Dispose()
    {
        _open?.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task WriteImageAsync_NewInstance_ListsTheEntryWithItsRunAndBytes()
    {
        var bytes = TestImages.Png(seed: 3);
        var run = new RunRecord { RunId = "r1", Config = "gpt-image-1", Prompt = "a boat", State = RunState.Running };
        var image = new SpooledImage(0, "r1-0", "image/png", 16, 12, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)), "image.png");
        await CreateSpool().WriteImageAsync(run, image, bytes).DefaultTimeout();

        var reopened = CreateSpool();
        var entry = Assert.Single(reopened.List());

        Assert.Equal("r1", entry.RunId);
        Assert.Equal(run, entry.Run);
        Assert.Equal(image, entry.Image);
        Assert.False(entry.CompletesRun);
        Assert.Equal(bytes, await reopened.ReadImageAsync(entry, CancellationToken.None).DefaultTimeout());
        Assert.True(File.Exists(Path.Combine(reopened.Directory, entry.Name, "image.png")));
        Assert.True(File.Exists(Path.Combine(reopened.Directory, entry.Name, ImageSpool.EntryFileName)));
    }

    [Fact]
    public async Task List_ImagesThenCompletion_InTheOrderTheyWereWritten()
    {
        var spool = CreateSpool();
        var bytes = TestImages.Png();
        for (var i = 0; i < 3; i++)
        {
            await spool.WriteImageAsync(new RunRecord { RunId = "r2" }, new SpooledImage(i, $"r2-{i}", "image/png", 16, 12, bytes.Length, "00", "image.png"), bytes).DefaultTimeout();
        }
        await spool.WriteRunAsync(new RunRecord { RunId = "r2", State = RunState.Succeeded }, imageCount: 3).DefaultTimeout();

        var entries = CreateSpool().ListRun("r2");

        Assert.Equal([0, 1, 2, -1], entries.Select(e => e.Image?.ImageIndex ?? -1));
        Assert.True(entries[^1].CompletesRun);
        Assert.Equal(3, entries[^1].ImageCount);
    }

    [Fact]
    public async Task Remove_DeliveredEntry_IsGoneAndQuarantineKeepsACopyNextToTheSpool()
    {
        var spool = CreateSpool();
        var kept = await spool.WriteRunAsync(new RunRecord { RunId = "r3", State = RunState.Failed }, 0).DefaultTimeout();
        var delivered = await spool.WriteRunAsync(new RunRecord { RunId = "r4", State = RunState.Succeeded }, 1).DefaultTimeout();

        spool.Remove(delivered);
        var quarantinedPath = await new ImageQuarantine(spool, TimeProvider.System)
            .QuarantineAsync(kept, ReadOnlyMemory<byte>.Empty, new StorageRefusal(Grpc.Core.StatusCode.InvalidArgument, "run.error is too long"), "spool").DefaultTimeout();
        spool.Remove(kept);

        Assert.Empty(spool.List());
        Assert.Equal(Path.Combine(_root.Path, "quarantine", kept.Name), quarantinedPath);
        Assert.True(File.Exists(Path.Combine(quarantinedPath, ImageSpool.EntryFileName)));
        Assert.True(File.Exists(Path.Combine(quarantinedPath, ImageQuarantine.SidecarFileName)));
    }

    [Fact]
    public void Constructor_UnfinishedWriteFromACrash_IsRemoved()
    {
        var spoolPath = Path.Combine(_root.Path, "spool");
        var unfinished = Path.Combine(spoolPath, ".tmp-20250101T000000000-00000001-r5-image0");
        Directory.CreateDirectory(unfinished);
        File.WriteAllBytes(Path.Combine(unfinished, "image.png"), [1, 2, 3]);

        var spool = CreateSpool();

        Assert.False(Directory.Exists(unfinished));
        Assert.Empty(spool.List());
    }

    [Fact]
    public async Task List_EntryWithDamagedMetadata_IsSkippedAndLeftInPlace()
    {
        var spool = CreateSpool();
        var damaged = await spool.WriteRunAsync(new RunRecord { RunId = "r7" }, 0).DefaultTimeout();
        await spool.WriteRunAsync(new RunRecord { RunId = "r8" }, 0).DefaultTimeout();
        var file = Path.Combine(spool.Directory, damaged.Name, ImageSpool.EntryFileName);
        File.WriteAllText(file, "{ not json");

        var entries = spool.List();

        Assert.Equal("r8", Assert.Single(entries).RunId);
        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task WaitForEntryAsync_EntryWritten_Completes()
    {
        var spool = CreateSpool();
        var waiting = spool.WaitForEntryAsync(TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);

        await spool.WriteRunAsync(new RunRecord { RunId = "r6" }, 0).DefaultTimeout();

        await waiting.DefaultTimeout();
    }

    /// <summary>The spool as a router (re)started on the folder opens it: the previous one is closed first, as its process would be.</summary>
    private ImageSpool CreateSpool()
    {
        _open?.Dispose();
        return _open = new(Options.Create(new SpoolOptions { Directory = "spool" }), new HostingEnvironment { ContentRootPath = _root.Path },
            NullLogger<ImageSpool>.Instance, TimeProvider.System);
    }
}
