using System.Security.Cryptography;
using OpenAI.Adapter.Tests.TestSupport;
using Pipeline.Imaging;

namespace OpenAI.Adapter.Tests.Images;

/// <summary>POST /images/generations through the adapter's gRPC service: typed, with n, and streamed with partials.</summary>
public sealed class ImageGenerationsTests
{
    private const string Path = "/v1/images/generations";

    [Theory]
    [InlineData("gpt-image-1", "1024x1536", "low")]
    [InlineData("gpt-image-1.5", "1536x1024", "medium")]
    [InlineData("gpt-image-1-mini", "1024x1024", "high")]
    [InlineData("gpt-image-2", "1280x720", "low")]
    public async Task Generate_GptImageModel_ReturnsValidFinalOfRequestedSize(string model, string size, string quality)
    {
        await using var host = await AdapterHost.StartAsync();
        var (width, height) = Dimensions(size);

        var result = (await host.Client.CollectAsync(Calls.Generate(model, size, quality))).Succeeded();

        var final = Assert.Single(result.Frames).Final;
        Assert.Equal(0, final.ImageIndex);
        TestImages.AssertImage(final.Data.Span, ImageFormat.Png, width, height);
        Assert.Equal("image/png", final.MimeType);
        Assert.Equal((width, height), (final.Width, final.Height));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(final.Data.Span)), final.Sha256);
        Assert.Equal(model, final.Model);
        Assert.StartsWith("req_", final.ProviderRequestId);
        Assert.True(final.Usage.OutputImageTokens > 0);
        Assert.Equal(final.Usage.InputTokens + final.Usage.OutputTokens, final.Usage.TotalTokens);
    }

    [Fact]
    public async Task Generate_DallE3_DownloadsTheUrlItReturns()
    {
        await using var host = await AdapterHost.StartAsync();

        var result = (await host.Client.CollectAsync(Calls.Generate("dall-e-3", "1792x1024", "hd"))).Succeeded();

        var final = Assert.Single(result.Finals);
        TestImages.AssertImage(final.Data.Span, ImageFormat.Png, 1792, 1024);
        Assert.StartsWith("A detailed, vivid illustration of:", final.RevisedPrompt);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(final.Data.Span)), final.Sha256);
    }

    [Fact]
    public async Task Generate_DallE3AskedForBase64_DecodesIt()
    {
        await using var host = await AdapterHost.StartAsync();
        var request = Calls.Generate("dall-e-3", "1024x1792", "standard");
        request.Extra = new Google.Protobuf.WellKnownTypes.Struct { Fields = { ["response_format"] = Google.Protobuf.WellKnownTypes.Value.ForString("b64_json") } };

        var result = (await host.Client.CollectAsync(request)).Succeeded();

        TestImages.AssertImage(Assert.Single(result.Finals).Data.Span, ImageFormat.Png, 1024, 1792);
    }

    [Fact]
    public async Task Generate_NTwo_ReturnsTwoFinalsEachWithItsIndex()
    {
        await using var host = await AdapterHost.StartAsync();

        var result = (await host.Client.CollectAsync(Calls.Generate(n: 2))).Succeeded();

        Assert.Equal([0, 1], result.Finals.Select(f => f.ImageIndex));
        Assert.All(result.Finals, f => TestImages.AssertImage(f.Data.Span, ImageFormat.Png, 1024, 1024));
        Assert.NotEqual(result.Finals[0].Sha256, result.Finals[1].Sha256);
        Assert.All(result.Finals, f => Assert.True(f.Usage.OutputImageTokens > 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Generate_PartialImages_StreamsThemBeforeTheFinal(int partials)
    {
        await using var host = await AdapterHost.StartAsync();

        var result = (await host.Client.CollectAsync(Calls.Generate(size: "1536x1024", partials: partials))).Succeeded();

        Assert.Equal(partials + 1, result.Frames.Count);
        Assert.Equal(Enumerable.Range(0, partials), result.Partials.Select(p => p.PartialIndex));
        Assert.All(result.Partials, p => Assert.Equal(0, p.ImageIndex));
        Assert.All(result.Partials, p => TestImages.AssertImage(p.Data.Span, ImageFormat.Png, 1536, 1024));
        var final = result.Frames[^1].Final;
        Assert.NotNull(final);
        TestImages.AssertImage(final.Data.Span, ImageFormat.Png, 1536, 1024);
        Assert.True(final.Usage.OutputTokens > 0);
    }

    [Fact]
    public async Task Generate_PartialImagesWithNTwo_IndexesPartialsAndFinalsPerImage()
    {
        await using var host = await AdapterHost.StartAsync();

        var result = (await host.Client.CollectAsync(Calls.Generate(n: 2, partials: 2))).Succeeded();

        Assert.Equal([0, 0, 1, 1], result.Partials.Select(p => p.ImageIndex));
        Assert.Equal([0, 1], result.Finals.Select(f => f.ImageIndex));
        Assert.NotEqual(result.Finals[0].Sha256, result.Finals[1].Sha256);
    }

    [Fact]
    public async Task Generate_PartialImages_FirstPartialArrivesWhileTheProviderResponseIsStillOpen()
    {
        await using var host = await AdapterHost.StartAsync("partial-delay=1500ms");

        var frames = await StreamingProbe.AssertFirstPartialWhileProviderOpenAsync(host, Calls.Generate(partials: 3), Path);

        Assert.Equal(4, frames.Count);
        Assert.NotNull(frames[^1].Final);
    }

    [Fact]
    public async Task Generate_JpegWithCompression_ReturnsJpeg()
    {
        await using var host = await AdapterHost.StartAsync();
        var request = Calls.Generate();
        request.OutputFormat = "jpeg";
        request.OutputCompression = 70;

        var final = Assert.Single((await host.Client.CollectAsync(request)).Succeeded().Finals);

        TestImages.AssertImage(final.Data.Span, ImageFormat.Jpeg, 1024, 1024);
        Assert.Equal("image/jpeg", final.MimeType);
    }

    private static (int Width, int Height) Dimensions(string size)
    {
        var parts = size.Split('x');
        return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
