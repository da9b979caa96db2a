using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Contracts.Storage.V1;
using Router.Service.Spool;
using Router.Service.Tests.TestSupport;
using GetRunRequest = Pipeline.Contracts.Storage.V1.GetRunRequest;

namespace Router.Service.Tests.Spool;

/// <summary>
/// No paid image is dropped: one storage refuses for good (here: over <c>Storage:MaxImageBytes</c>) is kept in the
/// router's quarantine with a sidecar, the caller still gets its bytes with a QUARANTINED Final that says why, and the
/// run record names it; an operator gets it back by moving the folder into the spool.
/// </summary>
public sealed class ImageQuarantineTests
{
    private const int StorageCap = 1024;

    private static readonly Dictionary<string, string?> s_smallCap = new() { ["Storage:MaxImageBytes"] = StorageCap.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    [Fact]
    public async Task Generate_SecondImageOverStorageCap_QuarantinedWithBytesAndSidecar_FinalSaysQuarantinedWithTheReason()
    {
        await using var fleet = await TestFleet.StartAsync(storageSettings: s_smallCap);
        fleet.Router.ExpectedErrors.Add("ImageQuarantined");
        fleet.OpenAI.Script("gpt-image-1", SecondImageOverCap());

        var result = await fleet.GenerateAsync(new GenerateRequest { Prompt = "a harbour", Config = "gpt-image-1", RunId = "big-1", Parameters = new() { N = 2 } });

        result.EnsureOk();
        var big = OverCapImage(Assert.Single(fleet.AdapterCalls).Request);
        Assert.Equal(2, result.Finals.Count);
        Assert.Equal((FinishReason.Stored, ""), (result.Finals[0].FinishReason, result.Finals[0].FinishDetail));
        Assert.True(result.Finals[0].Data.IsEmpty);
        var final = result.Finals[1];
        Assert.Equal(FinishReason.Quarantined, final.FinishReason);
        Assert.Contains("INVALID_ARGUMENT", final.FinishDetail, StringComparison.Ordinal);
        Assert.Contains("Storage:MaxImageBytes", final.FinishDetail, StringComparison.Ordinal);
        Assert.Equal(big, final.Data.ToByteArray());   // include_image_data was not set: the bytes come anyway
        Assert.Equal(("big-1-1", Sha256(big), (long)big.Length, false, true), (final.ImageId, final.Storage.Sha256, final.Storage.SizeBytes, final.Storage.Pending, final.Last));

        var folder = Assert.Single(fleet.Router.QuarantinedEntries());
        Assert.Equal(Path.Combine(Path.GetDirectoryName(fleet.Router.SpoolDirectory)!, "quarantine"), Path.GetDirectoryName(folder));
        Assert.Equal(big, File.ReadAllBytes(Path.Combine(folder, "image.png")));
        var sidecar = ImageQuarantine.ReadSidecar(folder);
        Assert.Equal(("big-1", 1, "big-1-1", "INVALID_ARGUMENT", "generation"), (sidecar.RunId, sidecar.ImageIndex, sidecar.ImageId, sidecar.StorageStatus, sidecar.Origin));
        Assert.Equal((Sha256(big), (long)big.Length, "image/png", "image.png"), (sidecar.Sha256, sidecar.SizeBytes, sidecar.MimeType, sidecar.FileName));
        Assert.Contains("Storage:MaxImageBytes", sidecar.StorageMessage, StringComparison.Ordinal);
        Assert.Equal(final.FinishDetail, sidecar.Reason);
        Assert.NotEqual(default, sidecar.QuarantinedAt);
        Assert.Empty(fleet.Router.SpoolEntries());

        var run = await fleet.Storage.Client.GetRunAsync(new GetRunRequest { RunId = "big-1" }).DefaultTimeout();
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("big-1-0", Assert.Single(run.Images).ImageId);
        Assert.Contains("image 1 (big-1-1) is quarantined", run.Error, StringComparison.Ordinal);
        Assert.Contains(fleet.Router.Logs, e => e.EventId.Id == 111 && e.Message.Contains(folder, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostGenerate_ImageOverStorageCap_FinalEventShowsQuarantinedAndTheReason()
    {
        await using var fleet = await TestFleet.StartAsync(storageSettings: s_smallCap);
        fleet.Router.ExpectedErrors.Add("ImageQuarantined");
        fleet.OpenAI.Script("gpt-image-1", SecondImageOverCap());
        using var content = new StringContent("""{"prompt":"a harbour","config":"gpt-image-1","run_id":"big-http","parameters":{"n":2}}""", Encoding.UTF8, "application/json");

        using var response = await fleet.Router.Http.PostAsync("/api/generate", content).DefaultTimeout();
        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();

        var finals = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(block => block.StartsWith("event: final\n", StringComparison.Ordinal))
            .Select(block => JsonDocument.Parse(block[(block.IndexOf("data: ", StringComparison.Ordinal) + "data: ".Length)..]).RootElement)
            .ToList();
        Assert.Equal(2, finals.Count);
        Assert.Equal("FINISH_REASON_STORED", finals[0].GetProperty("finishReason").GetString());
        Assert.Equal("FINISH_REASON_QUARANTINED", finals[1].GetProperty("finishReason").GetString());
        Assert.Contains("Storage:MaxImageBytes", finals[1].GetProperty("finishDetail").GetString(), StringComparison.Ordinal);
        Assert.Equal(OverCapImage(Assert.Single(fleet.AdapterCalls).Request), finals[1].GetProperty("data").GetBytesFromBase64());
        Assert.DoesNotContain("event: error", text, StringComparison.Ordinal);
        Assert.Single(fleet.Router.QuarantinedEntries());
    }

    [Fact]
    public async Task RouterStart_SpooledImageOverStorageCap_QuarantinedRunRecordNamesIt_RestoredOnceTheCapIsRaised()
    {
        using var data = new TempDirectory("router-storage");
        using var routerRoot = new TempDirectory("router-data");
        await using var storage = await StorageHost.StartAsync(data.Path, s_smallCap);
        await using var adapter = await ScriptedAdapter.StartAsync();
        adapter.Script("gpt-image-1", SecondImageOverCap());
        var spoolFolder = Path.Combine(routerRoot.Path, "spool");
        var settings = new Dictionary<string, string?> { ["Router:Spool:Directory"] = spoolFolder };
        byte[] big;
        string runId;
        await storage.StopAsync();
        await using (var router = await RouterHost.StartAsync(adapter.Address, storage.GrpcAddress, settings))
        {
            using var call = router.Client.Generate(new GenerateRequest { Prompt = "a harbour", Config = "gpt-image-1", Parameters = new() { N = 2 } });   // no run id: with storage down a caller's one cannot be checked
            var result = (await GenerateResult.ReadAsync(call).DefaultTimeout()).EnsureOk();
            Assert.All(result.Finals, f => Assert.Equal(FinishReason.StoragePending, f.FinishReason));   // true when sent: storage was down
            Assert.Equal(3, router.SpoolEntries().Count);
            big = OverCapImage(Assert.Single(adapter.Calls).Request);
            runId = result.Accepted.RunId;
        }

        await storage.StartAsync();
        var quarantine = Path.Combine(routerRoot.Path, "quarantine");
        await using (var router = await RouterHost.StartAsync(adapter.Address, storage.GrpcAddress, settings))
        {
            router.ExpectedErrors.Add("EntryRejected");
            await TestTimeouts.WaitUntilAsync(() => router.SpoolEntries().Count == 0);
            Assert.Equal(quarantine, router.QuarantineDirectory);
        }

        var folder = Assert.Single(Directory.GetDirectories(quarantine));
        Assert.Equal(big, File.ReadAllBytes(Path.Combine(folder, "image.png")));
        var sidecar = ImageQuarantine.ReadSidecar(folder);
        Assert.Equal((runId, 1, "INVALID_ARGUMENT", "spool"), (sidecar.RunId, sidecar.ImageIndex, sidecar.StorageStatus, sidecar.Origin));
        var run = await storage.Client.GetRunAsync(new GetRunRequest { RunId = runId }).DefaultTimeout();
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal($"{runId}-0", Assert.Single(run.Images).ImageId);
        Assert.Contains($"image 1 ({runId}-1) is quarantined", run.Error, StringComparison.Ordinal);

        // The README's way back: raise the cap, move the folder into the spool, start the router.
        await storage.StopAsync();
        storage.Settings["Storage:MaxImageBytes"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await storage.StartAsync();
        Directory.Move(folder, Path.Combine(spoolFolder, Path.GetFileName(folder)));
        await using (var router = await RouterHost.StartAsync(adapter.Address, storage.GrpcAddress, settings))
        {
            await TestTimeouts.WaitUntilAsync(() => router.SpoolEntries().Count == 0);
        }

        var restored = await storage.Client.GetRunAsync(new GetRunRequest { RunId = runId }).DefaultTimeout();
        Assert.Equal(RunState.Succeeded, restored.State);   // the image alone does not set the run back to RUNNING
        Assert.Equal([$"{runId}-0", $"{runId}-1"], restored.Images.OrderBy(i => i.ImageIndex).Select(i => i.ImageId));
        Assert.Equal(big, await storage.Http.GetByteArrayAsync($"/images/{runId}-1").DefaultTimeout());
    }

    [Fact]
    public async Task QuarantineAsync_SameEntryTwice_KeptOnceAndRestorableAsASpoolEntry()
    {
        using var root = new TempDirectory("image-quarantine");
        using var spool = new ImageSpool(Options.Create(new SpoolOptions { Directory = "spool" }), new HostingEnvironment { ContentRootPath = root.Path },
            NullLogger<ImageSpool>.Instance, TimeProvider.System);
        var quarantine = new ImageQuarantine(spool, TimeProvider.System);
        var bytes = TestImages.Png(seed: 4);
        var run = new RunRecord { RunId = "q1", Prompt = "a secret prompt", State = RunState.Running };
        var entry = spool.NewImageEntry(run, new SpooledImage(0, "q1-0", "image/png", 16, 12, bytes.Length, Sha256(bytes), "image.png"));
        var refusal = new StorageRefusal(StatusCode.InvalidArgument, "image is too big");

        var first = await quarantine.QuarantineAsync(entry, bytes, refusal, "generation").DefaultTimeout();
        var second = await quarantine.QuarantineAsync(entry, bytes, refusal, "spool").DefaultTimeout();

        Assert.Equal(first, second);
        Assert.Equal("generation", ImageQuarantine.ReadSidecar(first).Origin);
        Assert.Equal([entry.Name], Directory.GetDirectories(quarantine.Directory).Select(Path.GetFileName));
        Assert.Empty(spool.List());
        Directory.Move(first, Path.Combine(spool.Directory, entry.Name));
        var restored = Assert.Single(spool.List());
        Assert.Equal((entry.Image, new RunRecord { RunId = "q1" }), (restored.Image, restored.Run));
        Assert.Equal(bytes, await spool.ReadImageAsync(restored, CancellationToken.None).DefaultTimeout());
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument, "image is 5000 bytes; the limit is 1024 bytes (Storage:MaxImageBytes)", true)]
    [InlineData(StatusCode.FailedPrecondition, "x", true)]
    [InlineData(StatusCode.OutOfRange, "x", true)]
    [InlineData(StatusCode.AlreadyExists, "x", true)]
    [InlineData(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size.", true)]
    [InlineData(StatusCode.ResourceExhausted, "Sending message exceeds the maximum configured message size.", true)]
    [InlineData(StatusCode.ResourceExhausted, "quota exceeded; retry in 10 s", false)]
    [InlineData(StatusCode.Unavailable, "x", false)]
    [InlineData(StatusCode.DeadlineExceeded, "x", false)]
    [InlineData(StatusCode.Internal, "x", false)]
    [InlineData(StatusCode.Unknown, "x", false)]
    [InlineData(StatusCode.DataLoss, "x", false)]
    [InlineData(StatusCode.Unauthenticated, "x", false)]
    [InlineData(StatusCode.PermissionDenied, "x", false)]
    public void IsPermanent_StorageStatus_ForGoodOnlyWhenTheSameBytesWouldBeRefusedAgain(StatusCode code, string detail, bool permanent)
    {
        var exception = new RpcException(new Status(code, detail));

        Assert.Equal(permanent, StorageRefusal.IsPermanent(exception));
        Assert.Contains(detail, StorageRefusal.From(exception).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("spool", true)]
    [InlineData("spool/quarantine", true)]
    [InlineData("quarantine", false)]
    [InlineData("", false)]
    public void Validate_QuarantineDirectory_RefusedInsideTheSpool(string quarantineDirectory, bool refused)
    {
        var result = new SpoolOptionsValidator().Validate(null, new SpoolOptions { Directory = "spool", QuarantineDirectory = quarantineDirectory });

        Assert.Equal(refused, result.Failed);
        if (refused)
        {
            Assert.Contains("Router:Spool:QuarantineDirectory", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    /// <summary>Image 0 as usual; image 1 a noise PNG over <see cref="StorageCap"/>.</summary>
    private static AdapterScript SecondImageOverCap() => async (call, stream, cancellationToken) =>
    {
        await stream.WriteAsync(AdapterScripts.Final(call.Request, 0), cancellationToken);
        var frame = AdapterScripts.Final(call.Request, 1);
        var big = OverCapImage(call.Request);
        frame.Final.Data = ByteString.CopyFrom(big);
        frame.Final.Sha256 = Sha256(big);
        frame.Final.Width = 40;
        frame.Final.Height = 40;
        await stream.WriteAsync(frame, cancellationToken);
    };

    private static byte[] OverCapImage(ProviderRequest request)
    {
        var bytes = TestImages.NoisePng(40, 40, seed: request.RunId.Length);
        Assert.True(bytes.Length > StorageCap);
        return bytes;
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
