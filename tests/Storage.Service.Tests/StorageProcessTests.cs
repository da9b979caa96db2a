using Grpc.Core;
using Pipeline.Contracts.Storage.V1;
using Storage.Service.Tests.TestSupport;

namespace Storage.Service.Tests;

/// <summary>Durability against a real crash: Storage.Service as a child process, killed with SIGKILL, restarted on the same folder.</summary>
public sealed class StorageProcessTests
{
    [Fact]
    public async Task PutImage_ProcessKilledRightAfterPutReturned_ImageSurvivesRestart()
    {
        using var data = new TempDirectory();
        var png = TestImages.NoisePng(300, 300, seed: 11);
        var jpeg = TestImages.Jpeg(40, 30, seed: 3);
        await using (var service = await ServiceProcess.StartAsync(data.Path))
        {
            await service.Client.PutImageAsync(Requests.Put("durable", 0, png), Requests.Timeout).ResponseAsync.DefaultTimeout();
            await service.Client.PutImageAsync(Requests.Put("durable", 1, jpeg), Requests.Timeout).ResponseAsync.DefaultTimeout();
            await service.KillAsync();
        }

        await using var restarted = await ServiceProcess.StartAsync(data.Path);
        var (image0, bytes0, _) = await Requests.ReadImageAsync(restarted.Client, "durable-0").DefaultTimeout();
        var (image1, bytes1, _) = await Requests.ReadImageAsync(restarted.Client, "durable-1").DefaultTimeout();
        Assert.Equal(Requests.Sha256(png), Requests.Sha256(bytes0));
        Assert.Equal(Requests.Sha256(png), image0.Sha256);
        Assert.Equal(Requests.Sha256(jpeg), Requests.Sha256(bytes1));
        Assert.Equal("image/jpeg", image1.MimeType);
        var viaHttp = await restarted.HttpClient.GetByteArrayAsync("/images/durable-0").DefaultTimeout();
        Assert.Equal(png, viaHttp);
        Requests.AssertBlobsMatchRows(data.Path);
    }

    [Fact]
    public async Task PutImage_ProcessKilledAfterTempFileWritten_NoHalfFileAndNoRowAfterRestart()
    {
        using var data = new TempDirectory();
        var kept = TestImages.Png(10, 10, seed: 1);
        var png = TestImages.NoisePng(200, 200, seed: 12);
        var tempFolder = Path.Combine(data.Path, "blobs", ".tmp");
        // A committed image before the crash: the start-up sweep must keep its blob.
        await using (var service = await ServiceProcess.StartAsync(data.Path))
        {
            await service.Client.PutImageAsync(Requests.Put("kept", 0, kept), Requests.Timeout).ResponseAsync.DefaultTimeout();
            await service.KillAsync();
        }
        await using (var service = await ServiceProcess.StartAsync(data.Path, "Storage:FaultInjection:PauseAfterTempWrite=00:02:00"))
        {
            var put = service.Client.PutImageAsync(Requests.Put("crashed", 0, png), Requests.Timeout).ResponseAsync;
            // The temp file is complete and synced: the put is now paused before its rename.
            await TestTimeouts.WaitUntilAsync(() => Directory.EnumerateFiles(tempFolder).Any(f => new FileInfo(f).Length == png.Length));
            Assert.False(File.Exists(Path.Combine(data.Path, "blobs", Requests.Sha256(png)[..2], Requests.Sha256(png))));
            await service.KillAsync();
            var failure = await Assert.ThrowsAsync<RpcException>(() => put).DefaultTimeout();
            Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        }

        await using var restarted = await ServiceProcess.StartAsync(data.Path);
        Assert.Empty(Directory.EnumerateFiles(tempFolder));
        var blobs = Requests.AssertBlobsMatchRows(data.Path);
        Assert.Equal([Requests.Sha256(kept)], blobs);
        var missing = await Assert.ThrowsAsync<RpcException>(
            () => restarted.Client.GetRunAsync(new GetRunRequest { RunId = "crashed" }, Requests.Timeout).ResponseAsync).DefaultTimeout();
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        var (_, keptBytes, _) = await Requests.ReadImageAsync(restarted.Client, "kept-0").DefaultTimeout();
        Assert.Equal(kept, keptBytes);
    }

    [Fact]
    public async Task PutImage_ProcessKilledBeforeMetadataCommit_OrphanBlobRemovedAndNoRowAfterRestart()
    {
        using var data = new TempDirectory();
        var png = TestImages.NoisePng(120, 90, seed: 13);
        var blobPath = Path.Combine(data.Path, "blobs", Requests.Sha256(png)[..2], Requests.Sha256(png));
        await using (var service = await ServiceProcess.StartAsync(data.Path, "Storage:FaultInjection:PauseBeforeMetadataCommit=00:02:00"))
        {
            var put = service.Client.PutImageAsync(Requests.Put("uncommitted", 0, png), Requests.Timeout).ResponseAsync;
            await TestTimeouts.WaitUntilAsync(() => File.Exists(blobPath));
            Assert.Equal(png, await File.ReadAllBytesAsync(blobPath).DefaultTimeout());
            await service.KillAsync();
            await Assert.ThrowsAsync<RpcException>(() => put).DefaultTimeout();
        }

        await using var restarted = await ServiceProcess.StartAsync(data.Path);
        Assert.False(File.Exists(blobPath), "the orphan blob of the uncommitted put should be swept at start-up");
        Assert.Empty(Requests.AssertBlobsMatchRows(data.Path));
        var missing = await Assert.ThrowsAsync<RpcException>(
            () => restarted.Client.GetRunAsync(new GetRunRequest { RunId = "uncommitted" }, Requests.Timeout).ResponseAsync).DefaultTimeout();
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Contains("orphan blob", restarted.Output, StringComparison.Ordinal);
    }
}
