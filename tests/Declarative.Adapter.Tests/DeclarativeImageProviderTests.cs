using System.Security.Cryptography;
using Declarative.Adapter.Tests.TestSupport;
using Pipeline.Imaging;
using ProviderEmulator.Hosting;

namespace Declarative.Adapter.Tests;

/// <summary>Each kind of chunk through the adapter's gRPC service against the emulator's Stability, Replicate, OpenAI and OpenRouter APIs.</summary>
public sealed class DeclarativeImageProviderTests
{
    [Fact]
    public async Task Generate_StabilityChunk_SendsMultipartAndReadsTheBase64Image()
    {
        await using var host = await AdapterHost.StartAsync();
        var request = ChunkFiles.Request(ChunkFiles.Stability).WithExtra(("aspect_ratio", "16:9"), ("seed", 42));

        var (frames, status) = await host.GenerateAsync(request);

        StatusAssert.Ok(status);
        var final = Assert.Single(frames).Final;
        Assert.NotNull(final);
        Assert.Equal((ImageFormat.Png, 1344, 768), (ImageInspector.Inspect(final.Data.Span).Format, final.Width, final.Height));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(final.Data.Span)), final.Sha256);
        Assert.Equal("stable-image-core", final.Model);
        Assert.Equal((30_000, true), (final.CostUsdMicros, final.CostKnown));
        var call = Assert.Single(host.Started("/api.stability.ai/"));
        Assert.Equal(("POST", "/api.stability.ai/v2beta/stable-image/generate/core"), (call.Method, call.Path));
        Assert.Equal(call.RequestId, final.ProviderRequestId);
    }

    [Fact]
    public async Task Generate_StabilityChunkAcceptingImages_ReadsTheRawImageReply()
    {
        await using var host = await AdapterHost.StartAsync();
        var chunk = ChunkFiles.Load(ChunkFiles.Stability);
        chunk["api_config"]!["headers"]!["Accept"] = "image/*";

        var (frames, status) = await host.GenerateAsync(ChunkFiles.Request(chunk).WithExtra(("output_format", "webp")));

        StatusAssert.Ok(status);
        var final = Assert.Single(frames).Final;
        Assert.Equal(("image/webp", 1024, 1024), (final.MimeType, final.Width, final.Height));
    }

    [Fact]
    public async Task Generate_FluxChunk_PollsThePredictionAndDownloadsTheDeliveryUrl()
    {
        await using var host = await AdapterHost.StartAsync();
        var request = ChunkFiles.Request(ChunkFiles.Flux).WithExtra(("megapixels", "0.25"), ("aspect_ratio", "3:2"));

        var (frames, status) = await host.GenerateAsync(request);

        StatusAssert.Ok(status);
        var final = Assert.Single(frames).Final;
        Assert.Equal(("image/png", 608, 416), (final.MimeType, final.Width, final.Height));
        Assert.Equal((3_000, true), (final.CostUsdMicros, final.CostKnown));
        var calls = host.Started("/api.replicate.com/");
        Assert.Equal(("POST", "/api.replicate.com/v1/models/black-forest-labs/flux-schnell/predictions"), (calls[0].Method, calls[0].Path));
        Assert.True(calls.Count(c => c.Method == "GET" && c.Path.StartsWith("/api.replicate.com/v1/predictions/", StringComparison.Ordinal)) >= 2);
        Assert.Contains(host.Outgoing.All, r => r.Uri!.AbsolutePath.StartsWith("/replicate.delivery/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Generate_FluxChunkWithN_ReturnsEveryOutput()
    {
        await using var host = await AdapterHost.StartAsync();
        var request = ChunkFiles.Request(ChunkFiles.Flux).WithExtra(("megapixels", "0.25"));
        request.N = 2;

        var (frames, status) = await host.GenerateAsync(request);

        StatusAssert.Ok(status);
        Assert.Equal([0, 1], frames.Select(f => f.Final.ImageIndex));
        Assert.NotEqual(frames[0].Final.Sha256, frames[1].Final.Sha256);
    }

    [Fact]
    public async Task Generate_StreamedImagesApiChunk_StreamsPartialsThenTheFinal()
    {
        await using var host = await AdapterHost.StartAsync();
        var request = ChunkFiles.Request(ChunkFiles.GptImageStreamed);

        var (frames, status) = await host.GenerateAsync(request);

        StatusAssert.Ok(status);
        Assert.Equal(3, frames.Count);
        Assert.Equal([(0, 0), (0, 1)], frames.Take(2).Select(f => (f.Partial.ImageIndex, f.Partial.PartialIndex)));
        Assert.All(frames.Take(2), f => Assert.Equal("image/png", f.Partial.MimeType));
        var final = frames[2].Final;
        Assert.Equal((0, 1024, 1024, "gpt-image-1"), (final.ImageIndex, final.Width, final.Height, final.Model));
        Assert.Equal("/v1/images/generations", Assert.Single(host.Started("/v1/")).Path);
    }

    [Fact]
    public async Task Generate_ChatCompletionChunk_ReadsTheImageFromTheMessage()
    {
        await using var host = await AdapterHost.StartAsync();
        var request = ChunkFiles.Request(ChunkFiles.Gpt5);

        var (frames, status) = await host.GenerateAsync(request);

        StatusAssert.Ok(status);
        var final = Assert.Single(frames).Final;
        Assert.Equal(("image/png", "openai/gpt-5-image"), (final.MimeType, final.Model));
        Assert.False(final.CostKnown);
        Assert.Equal(EmulatorEventKind.RequestStarted, Assert.Single(host.Started("/api/v1/chat/completions")).Kind);
    }
}
