using Storage.Service.Blobs;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Pipeline.Contracts.Storage.V1;
using Storage.Service.Tests.TestSupport;
using HealthClient = Grpc.Health.V1.Health.HealthClient;

namespace Storage.Service.Tests.Grpc;

public abstract class StorageGrpcServiceTests(StorageBackend backend)
{
    [Fact]
    public async Task PutImage_ValidPng_StoresRecordWithHeaderDimensionsAndHash()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var png = TestImages.Png(12, 7);

        var response = await host.Client.PutImageAsync(Requests.Put("run1", 0, png), Requests.Timeout).ResponseAsync.DefaultTimeout();

        var image = response.Image;
        Assert.False(response.Deduplicated);
        Assert.Equal("run1-0", image.ImageId);
        Assert.Equal((12, 7), (image.Width, image.Height));
        Assert.Equal("image/png", image.MimeType);
        Assert.Equal(png.Length, image.SizeBytes);
        Assert.Equal(Requests.Sha256(png), image.Sha256);
        Assert.True(await host.Services.GetRequiredService<IBlobStore>().ExistsAsync(image.Sha256, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task PutImage_SameBytesInTwoRuns_StoresOneBlob()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var png = TestImages.Png(9, 9, seed: 4);

        var first = await host.Client.PutImageAsync(Requests.Put("a", 0, png), Requests.Timeout).ResponseAsync.DefaultTimeout();
        var second = await host.Client.PutImageAsync(Requests.Put("b", 3, png), Requests.Timeout).ResponseAsync.DefaultTimeout();

        Assert.False(first.Deduplicated);
        Assert.True(second.Deduplicated);
        Assert.Equal(first.Image.Sha256, second.Image.Sha256);
        Assert.Equal("b-3", second.Image.ImageId);
        Assert.Single(await Requests.AssertBlobsMatchRowsAsync(host));
    }

    [Fact]
    public async Task PutImage_SameRunAndIndexAgain_ReturnsExistingRecord()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var png = TestImages.Png(5, 5, seed: 2);
        var first = await host.Client.PutImageAsync(Requests.Put("idem", 0, png), Requests.Timeout).ResponseAsync.DefaultTimeout();

        var again = await host.Client.PutImageAsync(Requests.Put("idem", 0, png), Requests.Timeout).ResponseAsync.DefaultTimeout();
        var other = await host.Client.PutImageAsync(Requests.Put("idem", 0, TestImages.Png(6, 6, seed: 9)), Requests.Timeout).ResponseAsync.DefaultTimeout();

        Assert.Equal(first.Image, again.Image);
        Assert.True(again.Deduplicated);
        Assert.Equal(first.Image, other.Image);
        var run = await host.Client.GetRunAsync(new GetRunRequest { RunId = "idem" }, Requests.Timeout).ResponseAsync.DefaultTimeout();
        Assert.Single(run.Images);
        Assert.Single(await Requests.AssertBlobsMatchRowsAsync(host));
    }

    [Fact]
    public async Task PutImage_ConcurrentPutsOfSameIndex_StoreOneImage()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var puts = Enumerable.Range(0, 8)
            .Select(i => host.Client.PutImageAsync(Requests.Put("race", 0, TestImages.Png(4, 4, seed: i)), Requests.Timeout).ResponseAsync)
            .ToArray();

        var results = await Task.WhenAll(puts).DefaultTimeout();

        Assert.Single(results.Select(r => r.Image.Sha256).Distinct());
        Assert.Single(await Requests.AssertBlobsMatchRowsAsync(host));
    }

    [Theory]
    [InlineData(new byte[] { 0x3C, 0x68, 0x74, 0x6D, 0x6C, 0x3E, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0 })]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF })]
    [InlineData(new byte[0])]
    public async Task PutImage_NotAStorableImage_InvalidArgumentOnData(byte[] data)
    {
        await using var host = await StorageHost.StartAsync(backend);

        var error = await Assert.ThrowsAsync<RpcException>(
            () => host.Client.PutImageAsync(Requests.Put("bad", 0, data), Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("data", error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single().Field);
        Assert.Contains("image", error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(await Requests.AssertBlobsMatchRowsAsync(host));
    }

    [Theory]
    [InlineData("truncated png", "image data is not a complete image: PNG ends inside chunk IDAT, without IEND (")]
    [InlineData("jpeg without eoi", "image data is not a complete image: JPEG has no EOI marker: it ends inside the entropy-coded data of scan 1")]
    [InlineData("60000x60000 png", "image is refused: PNG declares 60000x60000 pixels (3600 MP); the limit is 100 MP and 16384 per side (Storage:ImageLimits)")]
    public async Task PutImage_IncompleteOrOversizedImage_InvalidArgumentSayingWhatIsWrongAndNothingStored(string damage, string message)
    {
        await using var host = await StorageHost.StartAsync(backend);
        var data = damage switch
        {
            "truncated png" => TestImages.TruncatedPng(),
            "jpeg without eoi" => TestImages.JpegWithoutEoi(),
            _ => TestImages.PngDeclaring(60_000, 60_000),
        };

        var error = await Assert.ThrowsAsync<RpcException>(
            () => host.Client.PutImageAsync(Requests.Put("damaged", 0, data), Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(message, error.Status.Detail, StringComparison.Ordinal);
        var violation = error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single();
        Assert.Equal("data", violation?.Field);
        Assert.StartsWith(message, violation?.Description, StringComparison.Ordinal);
        Assert.Empty(await Requests.AssertBlobsMatchRowsAsync(host));
        var lookup = await Assert.ThrowsAsync<RpcException>(
            () => host.Client.GetRunAsync(new GetRunRequest { RunId = "damaged" }, Requests.Timeout).ResponseAsync).DefaultTimeout();
        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task PutImage_ConfiguredImageLimits_Applied()
    {
        await using var host = await StorageHost.StartAsync(backend, new Dictionary<string, string?> { ["Storage:ImageLimits:MaxSide"] = "32" });

        var error = await Assert.ThrowsAsync<RpcException>(
            () => host.Client.PutImageAsync(Requests.Put("wide", 0, TestImages.Png(40, 10)), Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("image is refused: PNG declares 40x10 pixels (0 MP); the limit is 100 MP and 32 per side (Storage:ImageLimits)", error.Status.Detail);
        await host.Client.PutImageAsync(Requests.Put("narrow", 0, TestImages.Png(32, 10)), Requests.Timeout).ResponseAsync.DefaultTimeout();
    }

    [Fact]
    public async Task PutImage_DeclaredMimeTypeDiffers_InvalidArgumentOnMimeType()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var request = Requests.Put("mime", 0, TestImages.Png());
        request.MimeType = "image/jpeg";

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.PutImageAsync(request, Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("mime_type", error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single().Field);
    }

    [Fact]
    public async Task PutImage_OverSizeCap_InvalidArgumentNamingTheLimit()
    {
        await using var host = await StorageHost.StartAsync(backend, new Dictionary<string, string?> { ["Storage:MaxImageBytes"] = "65536" });
        var big = TestImages.NoisePng(200, 200, seed: 5);
        Assert.True(big.Length > 65536);

        var error = await Assert.ThrowsAsync<RpcException>(
            () => host.Client.PutImageAsync(Requests.Put("big", 0, big), Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("65536", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("Storage:MaxImageBytes", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutImage_OverGrpcReceiveLimit_ResourceExhausted()
    {
        await using var host = await StorageHost.StartAsync(backend, new Dictionary<string, string?> { ["Storage:MaxImageBytes"] = "65536" });
        var huge = new byte[65536 + (1024 * 1024) + 10];
        TestImages.Png().CopyTo(huge, 0);

        var error = await Assert.ThrowsAsync<RpcException>(
            () => host.Client.PutImageAsync(Requests.Put("huge", 0, huge), Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task PutImage_DefaultCapImageOf20MB_IsAccepted()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var png = TestImages.Png(4, 4);
        // A complete PNG padded to 20 MiB by a private ancillary chunk: this checks the raised receive limit, not the codec.
        var data = TestImages.WithChunk(png, "emUl", new byte[(20 * 1024 * 1024) - png.Length - 12]);
        Assert.Equal(20 * 1024 * 1024, data.Length);

        var response = await host.Client.PutImageAsync(Requests.Put("large", 0, data), Requests.Timeout).ResponseAsync.DefaultTimeout();
        var (_, bytes, chunks) = await Requests.ReadImageAsync(host.Client, "large-0", chunkSize: 1024 * 1024).DefaultTimeout();

        Assert.Equal(data.Length, response.Image.SizeBytes);
        Assert.Equal(Requests.Sha256(data), Requests.Sha256(bytes));
        Assert.Equal(20, chunks);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("..")]
    [InlineData("/etc/passwd")]
    [InlineData("C:\\Windows\\win.ini")]
    [InlineData("..%2F..%2Fetc")]
    [InlineData("%2e%2e%2f")]
    [InlineData("a/b")]
    [InlineData("a.png")]
    [InlineData("x\u0000y")]
    [InlineData("ünicode")]
    public async Task PutImage_PathLikeImageId_InvalidArgumentOnImageId(string imageId)
    {
        await using var host = await StorageHost.StartAsync(backend);

        var error = await Assert.ThrowsAsync<RpcException>(
            () => host.Client.PutImageAsync(Requests.Put("run", 0, TestImages.Png(), imageId: imageId), Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("image_id", error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single().Field);
        Assert.Contains("[A-Za-z0-9_-]", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../tmp")]
    [InlineData("/abs")]
    [InlineData("%2e%2e")]
    [InlineData("")]
    [InlineData("a2345678901234567890123456789012345678901234567890123456789012345")]
    public async Task PutImage_InvalidRunId_InvalidArgumentOnRunId(string runId)
    {
        await using var host = await StorageHost.StartAsync(backend);

        var error = await Assert.ThrowsAsync<RpcException>(
            () => host.Client.PutImageAsync(Requests.Put(runId, 0, TestImages.Png()), Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("run.run_id", error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single().Field);
    }

    [Fact]
    public async Task PutImage_ImageIdTakenByAnotherRun_AlreadyExists()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await host.Client.PutImageAsync(Requests.Put("r1", 0, TestImages.Png(seed: 1), imageId: "shared-id"), Requests.Timeout).ResponseAsync.DefaultTimeout();

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.PutImageAsync(
            Requests.Put("r2", 0, TestImages.Png(seed: 2), imageId: "shared-id"), Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        await Requests.AssertBlobsMatchRowsAsync(host);
    }

    [Fact]
    public async Task GetImage_SmallChunks_StreamsEveryByteWithRecordOnFirstChunkOnly()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var png = TestImages.NoisePng(64, 64, seed: 8);
        await host.Client.PutImageAsync(Requests.Put("chunks", 0, png), Requests.Timeout).ResponseAsync.DefaultTimeout();

        using var call = host.Client.GetImage(new GetImageRequest { ImageId = "chunks-0", ChunkSize = 1000 }, Requests.Timeout);
        var chunks = new List<ImageChunk>();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
        {
            chunks.Add(chunk);
        }

        Assert.Equal((png.Length + 999) / 1000, chunks.Count);
        Assert.NotNull(chunks[0].Image);
        Assert.All(chunks.Skip(1), c => Assert.Null(c.Image));
        Assert.All(chunks.SkipLast(1), c => Assert.Equal(1000, c.Data.Length));
        Assert.Equal(png, chunks.SelectMany(c => c.Data.ToByteArray()).ToArray());
    }

    [Theory]
    [InlineData("missing", StatusCode.NotFound)]
    [InlineData("../../etc/passwd", StatusCode.InvalidArgument)]
    [InlineData("", StatusCode.InvalidArgument)]
    public async Task GetImage_UnknownOrInvalidId_Fails(string imageId, StatusCode expected)
    {
        await using var host = await StorageHost.StartAsync(backend);

        var error = await Assert.ThrowsAsync<RpcException>(
            () => Requests.ReadImageAsync(host.Client, imageId)).DefaultTimeout();

        Assert.Equal(expected, error.StatusCode);
    }

    [Fact]
    public async Task GetImage_ChunkSizeOverOneMiB_InvalidArgument()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await host.Client.PutImageAsync(Requests.Put("c", 0, TestImages.Png()), Requests.Timeout).ResponseAsync.DefaultTimeout();

        var error = await Assert.ThrowsAsync<RpcException>(
            () => Requests.ReadImageAsync(host.Client, "c-0", chunkSize: 2 * 1024 * 1024)).DefaultTimeout();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task UpsertRun_FieldsLeftEmpty_KeepStoredValues()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var created = await host.Client.UpsertRunAsync(new RunRecord
        {
            RunId = "upsert",
            Config = "x_high",
            Prompt = "a cat",
            Seed = 42,
            State = RunState.Running,
            Parameters = Struct.Parser.ParseJson("""{"size":"1024x1024","n":2}"""),
            TraceId = "0af7651916cd43dd8448eb211c80319c",
        }, Requests.Timeout).ResponseAsync.DefaultTimeout();

        var updated = await host.Client.UpsertRunAsync(new RunRecord
        {
            RunId = "upsert",
            State = RunState.Succeeded,
            RevisedPrompt = "a small cat",
            CompletedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddDays(20000)),
            Usage = new Pipeline.Contracts.Common.V1.Usage { InputTokens = 10, OutputTokens = 20, TotalTokens = 30 },
            CostUsdMicros = 40000,
        }, Requests.Timeout).ResponseAsync.DefaultTimeout();

        Assert.Equal("x_high", updated.Config);
        Assert.Equal("a cat", updated.Prompt);
        Assert.Equal("a small cat", updated.RevisedPrompt);
        Assert.Equal(42, updated.Seed);
        Assert.Equal(RunState.Succeeded, updated.State);
        Assert.Equal(created.Parameters, updated.Parameters);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.Equal(30, updated.Usage.TotalTokens);
        Assert.Equal(40000, updated.CostUsdMicros);
        Assert.Equal(updated, await host.Client.GetRunAsync(new GetRunRequest { RunId = "upsert" }, Requests.Timeout).ResponseAsync.DefaultTimeout());
    }

    [Theory]
    [InlineData("not-a-trace-id", "trace_id")]
    [InlineData("00000000000000000000000000000000", "trace_id")]
    public async Task UpsertRun_InvalidField_InvalidArgumentNamingField(string traceId, string field)
    {
        await using var host = await StorageHost.StartAsync(backend);

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.UpsertRunAsync(
            new RunRecord { RunId = "r", TraceId = traceId }, Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(field, error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single().Field);
    }

    [Fact]
    public async Task GetRun_Unknown_NotFound()
    {
        await using var host = await StorageHost.StartAsync(backend);

        var error = await Assert.ThrowsAsync<RpcException>(
            () => host.Client.GetRunAsync(new GetRunRequest { RunId = "nope" }, Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("nope", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteRun_BlobSharedWithAnotherRun_RemovesOnlyUnreferencedBlobs()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var shared = TestImages.Png(seed: 1);
        var own = TestImages.Png(seed: 2);
        await host.Client.PutImageAsync(Requests.Put("keep", 0, shared), Requests.Timeout).ResponseAsync.DefaultTimeout();
        await host.Client.PutImageAsync(Requests.Put("gone", 0, shared), Requests.Timeout).ResponseAsync.DefaultTimeout();
        await host.Client.PutImageAsync(Requests.Put("gone", 1, own), Requests.Timeout).ResponseAsync.DefaultTimeout();

        var deleted = await host.Client.DeleteRunAsync(new DeleteRunRequest { RunId = "gone" }, Requests.Timeout).ResponseAsync.DefaultTimeout();

        Assert.Equal(2, deleted.ImagesDeleted);
        Assert.Equal(1, deleted.BlobsDeleted);
        Assert.Equal([Requests.Sha256(shared)], await Requests.AssertBlobsMatchRowsAsync(host));
        var (_, bytes, _) = await Requests.ReadImageAsync(host.Client, "keep-0").DefaultTimeout();
        Assert.Equal(shared, bytes);
        var error = await Assert.ThrowsAsync<RpcException>(
            () => host.Client.GetRunAsync(new GetRunRequest { RunId = "gone" }, Requests.Timeout).ResponseAsync).DefaultTimeout();
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task DeleteRun_Unknown_NotFound()
    {
        await using var host = await StorageHost.StartAsync(backend);

        var error = await Assert.ThrowsAsync<RpcException>(
            () => host.Client.DeleteRunAsync(new DeleteRunRequest { RunId = "never" }, Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Health_StorageReady_Serving()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var health = new HealthClient(host.Channel);

        var response = await health.CheckAsync(new HealthCheckRequest(), Requests.Timeout).ResponseAsync.DefaultTimeout();

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    /// <summary>On SQLite metadata.</summary>
    public sealed class Sqlite() : StorageGrpcServiceTests(StorageBackend.Sqlite);

    /// <summary>On PostgreSQL metadata.</summary>
    public sealed class Postgres() : StorageGrpcServiceTests(StorageBackend.Postgres);
}
