using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using OpenRouter.Adapter.Tests.TestSupport;
using Pipeline.Contracts.Common.V1;
using Grpc.Core;
using Pipeline.Imaging;
using ProviderEmulator.Hosting;

namespace OpenRouter.Adapter.Tests.Chat;

/// <summary>Chat image generation through the adapter's gRPC service against the emulator.</summary>
public sealed class OpenRouterImageProviderTests
{
    [Fact]
    public async Task Generate_NonStreamed_ReturnsOneVerifiedFinalOfTheRequestedSize()
    {
        await using var host = await AdapterHost.StartAsync();

        var (frames, status) = await host.GenerateAsync(Requests.Chat(size: "1344x768"));

        StatusAssert.Ok(status);
        var final = Assert.Single(frames).Final;
        Assert.NotNull(final);
        var info = ImageInspector.Inspect(final.Data.Span);
        Assert.Equal((ImageFormat.Png, 1344, 768), (info.Format, info.Width, info.Height));
        Assert.Equal((1344, 768, "image/png"), (final.Width, final.Height, final.MimeType));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(final.Data.Span)), final.Sha256);
        Assert.Equal(0, final.ImageIndex);
        Assert.Equal(Requests.Gemini, final.Model);
        Assert.Equal("Here is your image.", final.Text);
        var generation = Assert.Single(host.Emulator.Traffic.Events, e => e.Kind == EmulatorEventKind.RequestCompleted);
        Assert.Equal(generation.RequestId, final.ProviderRequestId);
    }

    [Fact]
    public async Task Generate_ProviderReportsUsageAndCost_FinalCarriesTokensAndReportedCost()
    {
        await using var host = await AdapterHost.StartAsync();

        var (frames, status) = await host.GenerateAsync(Requests.Small());

        StatusAssert.Ok(status);
        var final = Assert.Single(frames).Final;
        // The emulator's usage for one image from a short prompt: completion = 1290 image tokens + 4 text tokens.
        Assert.Equal(1290, final.Usage.OutputImageTokens);
        Assert.Equal(1294, final.Usage.OutputTokens);
        Assert.Equal(4, final.Usage.OutputTextTokens);
        Assert.True(final.Usage.InputTokens > 0);
        Assert.Equal(final.Usage.InputTokens + final.Usage.OutputTokens, final.Usage.TotalTokens);
        // usage.cost (USD) as the emulator computes it from its illustrative prices: prompt and completion tokens plus the image.
        var expectedUsd = (final.Usage.InputTokens * 0.0000003m) + (1294 * 0.0000025m) + 0.001238m;
        Assert.Equal((long)decimal.Round(decimal.Round(expectedUsd, 6) * 1_000_000m), final.CostUsdMicros);
        Assert.True(final.CostKnown);
    }

    [Theory]
    [InlineData("16:9", "0.5K", 672, 384)]
    [InlineData("9:16", "1K", 768, 1344)]
    [InlineData("4:3", "2K", 2368, 1728)]
    public async Task Generate_AspectRatioAndImageSizeInExtra_SentAsImageConfig(string ratio, string imageSize, int width, int height)
    {
        await using var host = await AdapterHost.StartAsync();
        var request = Requests.Chat();
        request.Extra = new Struct { Fields = { ["aspect_ratio"] = Value.ForString(ratio), ["image_size"] = Value.ForString(imageSize) } };

        var (frames, status) = await host.GenerateAsync(request);

        StatusAssert.Ok(status);
        var final = Assert.Single(frames).Final;
        var info = ImageInspector.Inspect(final.Data.Span);
        Assert.Equal((width, height), (info.Width, info.Height));
    }

    [Fact]
    public async Task Generate_SizeOfAScaledAspectRatio_MapsToAspectRatioAndImageSize()
    {
        await using var host = await AdapterHost.StartAsync();

        var (frames, status) = await host.GenerateAsync(Requests.Chat(size: "416x624"));

        StatusAssert.Ok(status);
        var info = ImageInspector.Inspect(Assert.Single(frames).Final.Data.Span);
        Assert.Equal((416, 624), (info.Width, info.Height));
    }

    [Fact]
    public async Task Generate_SizeWithoutAnAspectRatio_InvalidArgumentNamingSize()
    {
        await using var host = await AdapterHost.StartAsync();

        var (frames, status) = await host.GenerateAsync(Requests.Chat(size: "1000x300"));

        Assert.Empty(frames);
        StatusAssert.Code(StatusCode.InvalidArgument, status);
        Assert.Contains("1000x300", status.Message);
        Assert.Equal("size", status.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations[0].Field);
        Assert.Equal(0, host.ChatRequestsStarted);
    }

    [Fact]
    public async Task Generate_TwoImages_TwoCallsAndTwoIndexedFinals()
    {
        await using var host = await AdapterHost.StartAsync();
        var request = Requests.Small(n: 2);
        request.Extra.Fields["seed"] = Value.ForNumber(7);

        var (frames, status) = await host.GenerateAsync(request);

        StatusAssert.Ok(status);
        Assert.Equal([0, 1], frames.Select(f => f.Final.ImageIndex));
        Assert.Equal(2, host.ChatRequestsStarted);
        // A given seed moves on per call, so the two images differ.
        Assert.NotEqual(frames[0].Final.Sha256, frames[1].Final.Sha256);
        Assert.All(frames, f => Assert.Equal((512, 512), (f.Final.Width, f.Final.Height)));
    }

    [Fact]
    public async Task Generate_InputImage_SentAsImageUrlPartAndEdited()
    {
        await using var host = await AdapterHost.StartAsync();
        var plain = await host.GenerateAsync(Requests.Small("the same harbour"));
        var input = TestImages.Png(64, 64);
        var request = Requests.Small("the same harbour");
        request.InputImages.Add(new InputImage { Data = ByteString.CopyFrom(input) });

        var (frames, status) = await host.GenerateAsync(request);

        StatusAssert.Ok(status);
        // The emulator mixes the input image's hash into the picture: an edit differs from the plain generation.
        Assert.NotEqual(Assert.Single(plain.Frames).Final.Sha256, Assert.Single(frames).Final.Sha256);
    }

    [Fact]
    public async Task Generate_ImageOnlyModel_SendsImageModalityOnly()
    {
        await using var host = await AdapterHost.StartAsync();

        var (frames, status) = await host.GenerateAsync(Requests.Chat(model: "black-forest-labs/flux.2-pro"));

        StatusAssert.Ok(status);
        var final = Assert.Single(frames).Final;
        Assert.Equal("", final.Text);
        // No usage.cost-free path here: the emulator reports the image price.
        Assert.Equal(30_000, final.CostUsdMicros);
    }

    [Fact]
    public async Task Generate_ConfiguredAttributionHeaders_SentWithTheConfiguredKey()
    {
        await using var host = await AdapterHost.StartAsync();

        var (_, status) = await host.GenerateAsync(Requests.Small());

        StatusAssert.Ok(status);
        var sent = Assert.Single(host.Outgoing.All, r => r.Uri!.AbsolutePath == AdapterHost.ChatPath);
        Assert.Equal("https://github.com/pipeline/pipeline", sent.Headers["HTTP-Referer"]);
        Assert.Equal("Pipeline", sent.Headers["X-Title"]);
        Assert.Equal($"Bearer {AdapterHost.ConfiguredKey}", sent.Headers["Authorization"]);
    }
}
