using System.Security.Cryptography;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Contracts.Storage.V1;
using Router.Service.Spool;
using Router.Service.Tests.TestSupport;
using GetRunRequest = Pipeline.Contracts.Storage.V1.GetRunRequest;

namespace Router.Service.Tests.Spool;

/// <summary>
/// A paid image is never lost: with Storage.Service down, final images go to the router's spool (the Final frame says
/// pending), and reach storage under the same image id once it is back — while the router runs, or at its next start.
/// </summary>
public sealed class SpoolDeliveryServiceTests
{
    [Fact]
    public async Task Generate_StorageStopsMidRun_ImagesSpooledThenDeliveredWithTheSameIds()
    {
        await using var fleet = await TestFleet.StartAsync();
        var release = new TaskCompletionSource();
        fleet.OpenAI.Script("gpt-image-1", AdapterScripts.PartialsThenWait(release.Task));
        var request = new GenerateRequest { Prompt = "a harbour", Config = "gpt-image-1", RunId = "harbour-1", IncludeImageData = true, Parameters = new() { N = 2, PartialImages = 1 } };
        using var call = fleet.Client.Generate(request);
        var reading = GenerateResult.ReadAsync(call);
        await fleet.OpenAI.WaitForCallAsync();

        await fleet.Storage.StopAsync();
        release.SetResult();
        var result = (await reading.DefaultTimeout()).EnsureOk();

        var adapterRequest = Assert.Single(fleet.AdapterCalls).Request;
        Assert.Equal(2, result.Finals.Count);
        for (var i = 0; i < 2; i++)
        {
            var final = result.Finals[i];
            var bytes = AdapterScripts.ImageFor(adapterRequest, i);
            Assert.Equal(FinishReason.StoragePending, final.FinishReason);
            Assert.True(final.Storage.Pending);
            Assert.Equal($"harbour-1-{i}", final.ImageId);
            Assert.Equal($"/images/harbour-1-{i}", final.Storage.UrlPath);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), final.Storage.Sha256);
            Assert.Equal(bytes, final.Data.ToByteArray());
        }
        Assert.True(result.Finals[1].Last);
        Assert.Equal(3, fleet.Router.SpoolEntries().Count);   // two images, then the run's completion

        await fleet.Storage.StartAsync();
        await TestTimeouts.WaitUntilAsync(() => fleet.Router.SpoolEntries().Count == 0);

        var run = await fleet.Storage.Client.GetRunAsync(new GetRunRequest { RunId = "harbour-1" }).DefaultTimeout();
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(result.Finals.Select(f => (f.ImageId, f.Storage.Sha256)), run.Images.OrderBy(i => i.ImageIndex).Select(i => (i.ImageId, i.Sha256)));
        foreach (var final in result.Finals)
        {
            Assert.Equal(final.Data.ToByteArray(), await fleet.Storage.Http.GetByteArrayAsync(final.Storage.UrlPath).DefaultTimeout());
        }
    }

    [Fact]
    public async Task Generate_RunIdOfASpooledRun_ReplaysFromTheSpoolWhileStorageIsDown()
    {
        await using var fleet = await TestFleet.StartAsync();
        var release = new TaskCompletionSource();
        fleet.OpenAI.Script("gpt-image-1", AdapterScripts.After(release.Task, AdapterScripts.Images()));
        var request = new GenerateRequest { Prompt = "a harbour", Config = "gpt-image-1", RunId = "harbour-2" };
        var first = fleet.GenerateAsync(request);
        await fleet.OpenAI.WaitForCallAsync();
        await fleet.Storage.StopAsync();
        release.SetResult();
        var generated = (await first).EnsureOk();

        var replayed = (await fleet.GenerateAsync(new GenerateRequest { Prompt = "a harbour", Config = "gpt-image-1", RunId = "harbour-2", IncludeImageData = true })).EnsureOk();

        Assert.Single(fleet.AdapterCalls);
        Assert.True(replayed.Accepted.Replayed);
        var final = Assert.Single(replayed.Finals);
        Assert.Equal((FinishReason.Replayed, true, generated.Finals[0].ImageId, generated.Finals[0].Storage.Sha256),
            (final.FinishReason, final.Storage.Pending, final.ImageId, final.Storage.Sha256));
        Assert.Equal(AdapterScripts.ImageFor(fleet.AdapterCalls[0].Request, 0), final.Data.ToByteArray());

        await fleet.Storage.StartAsync();
        await TestTimeouts.WaitUntilAsync(() => fleet.Router.SpoolEntries().Count == 0);
        var fromStorage = (await fleet.GenerateAsync(request.Clone())).EnsureOk();
        Assert.False(Assert.Single(fromStorage.Finals).Storage.Pending);
        Assert.Single(fleet.AdapterCalls);
    }

    [Fact]
    public async Task Generate_StorageWithNoConfiguredAddress_ImageSpooledPendingWithoutAnyStorageCall()
    {
        await using var adapter = await ScriptedAdapter.StartAsync();
        await using var router = await RouterHost.StartAsync(adapter.Address, storage: null);

        using var call = router.Client.Generate(new GenerateRequest { Prompt = "a harbour", Config = "gpt-image-1", IncludeImageData = true });
        var result = (await GenerateResult.ReadAsync(call).DefaultTimeout()).EnsureOk();

        var final = Assert.Single(result.Finals);
        Assert.Equal((FinishReason.StoragePending, true), (final.FinishReason, final.Storage.Pending));
        Assert.Equal(AdapterScripts.ImageFor(Assert.Single(adapter.Calls).Request, 0), final.Data.ToByteArray());
        Assert.Equal(2, router.SpoolEntries().Count);   // the image, then the run's completion
        await router.WaitForLogAsync(202);              // delivery waits for storage, naming the missing key
        Assert.Contains(router.Logs, e => e.EventId.Id == 202 && e.Message.Contains("services__storage__grpc__0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RouterStart_SpoolLeftByAnEarlierRouter_IsDeliveredAtStart()
    {
        using var spool = new TempDirectory("router-spool");
        using var data = new TempDirectory("router-storage");
        await using var storage = await StorageHost.StartAsync(data.Path);
        await using var adapter = await ScriptedAdapter.StartAsync();
        var settings = new Dictionary<string, string?> { ["Router:Spool:Directory"] = spool.Path };
        GenerateResult result;
        await storage.StopAsync();
        await using (var router = await RouterHost.StartAsync(adapter.Address, storage.GrpcAddress, settings))
        {
            using var call = router.Client.Generate(new GenerateRequest { Prompt = "a harbour", Config = "gpt-image-1" });
            result = (await GenerateResult.ReadAsync(call).DefaultTimeout()).EnsureOk();
            Assert.True(Assert.Single(result.Finals).Storage.Pending);
            Assert.Equal(2, router.SpoolEntries().Count);
        }
        Assert.Equal(2, Directory.GetDirectories(spool.Path).Length);

        await storage.StartAsync();
        await using var restarted = await RouterHost.StartAsync(adapter.Address, storage.GrpcAddress, settings);
        await TestTimeouts.WaitUntilAsync(() => restarted.SpoolEntries().Count == 0);

        var run = await storage.Client.GetRunAsync(new GetRunRequest { RunId = result.Accepted.RunId }).DefaultTimeout();
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(result.Finals[0].ImageId, Assert.Single(run.Images).ImageId);
        Assert.Equal(AdapterScripts.ImageFor(Assert.Single(adapter.Calls).Request, 0), await storage.Http.GetByteArrayAsync(result.Finals[0].Storage.UrlPath).DefaultTimeout());
        Assert.Contains(restarted.Logs, e => e.EventId.Id == 204);
    }

    [Fact]
    public async Task RouterStart_SpooledImageStorageRefuses_MovedToQuarantineAndNotRetried()
    {
        using var spoolFolder = new TempDirectory("router-spool");
        using var data = new TempDirectory("router-storage");
        await using var storage = await StorageHost.StartAsync(data.Path);
        byte[] notAnImage = [1, 2, 3, 4, 5, 6, 7, 8];
        using (var spool = new ImageSpool(Options.Create(new SpoolOptions { Directory = spoolFolder.Path }),
            new HostingEnvironment { ContentRootPath = spoolFolder.Path }, NullLogger<ImageSpool>.Instance, TimeProvider.System))
        {
            await spool.WriteImageAsync(new RunRecord { RunId = "broken" },
                new SpooledImage(0, "broken-0", "image/png", 1, 1, notAnImage.Length, "00", "image.png"), notAnImage).DefaultTimeout();
        }

        var quarantineFolder = Path.Combine(data.Path, "quarantine");
        await using var router = await RouterHost.StartAsync(null, storage.GrpcAddress, new Dictionary<string, string?>
        {
            ["Router:Spool:Directory"] = spoolFolder.Path,
            ["Router:Spool:QuarantineDirectory"] = quarantineFolder,
        });
        router.ExpectedErrors.Add("EntryRejected");
        await router.WaitForLogAsync(203, "broken");

        Assert.Empty(router.SpoolEntries());
        Assert.False(Directory.Exists(Path.Combine(spoolFolder.Path, "rejected")));
        var quarantined = Assert.Single(Directory.GetDirectories(quarantineFolder));
        Assert.Equal(notAnImage, File.ReadAllBytes(Path.Combine(quarantined, "image.png")));
        var sidecar = ImageQuarantine.ReadSidecar(quarantined);
        Assert.Equal(("broken", 0, "INVALID_ARGUMENT", "spool"), (sidecar.RunId, sidecar.ImageIndex, sidecar.StorageStatus, sidecar.Origin));
        Assert.Contains(quarantineFolder, router.Logs.Single(e => e.EventId.Id == 203).Message, StringComparison.Ordinal);
    }
}
