using OpenAI.Adapter.Tests.TestSupport;
using Grpc.Core;
using Pipeline.Imaging;
using SkiaSharp;

namespace OpenAI.Adapter.Tests.Responses;

/// <summary>POST /responses with the image_generation tool, streamed, through the adapter.</summary>
public sealed class ResponsesImageCallTests
{
    private const string Path = "/v1/responses";

    [Fact]
    public async Task Responses_PartialImages_StreamsPartialsThenFinalWithTextAndUsage()
    {
        await using var host = await AdapterHost.StartAsync();

        var result = (await host.Client.CollectAsync(Calls.Responses(partials: 2))).Succeeded();

        Assert.Equal([0, 1], result.Partials.Select(p => p.PartialIndex));
        Assert.All(result.Partials, p => TestImages.AssertImage(p.Data.Span, ImageFormat.Png, 1024, 1024));
        var final = Assert.Single(result.Finals);
        Assert.Same(final, result.Frames[^1].Final);
        TestImages.AssertImage(final.Data.Span, ImageFormat.Png, 1024, 1024);
        Assert.Equal("gpt-image-1", final.Model);
        Assert.Equal("Here is the image you asked for.", final.Text);
        Assert.NotEmpty(final.RevisedPrompt);
        Assert.StartsWith("req_", final.ProviderRequestId);
        // tool_usage.image_gen: the image model's tokens (not the host model's).
        Assert.True(final.Usage.OutputImageTokens > 0);
        Assert.Equal(final.Usage.InputTokens + final.Usage.OutputTokens, final.Usage.TotalTokens);
    }

    [Fact]
    public async Task Responses_NoPartialImages_ReturnsTheFinalOnly()
    {
        await using var host = await AdapterHost.StartAsync();

        var result = (await host.Client.CollectAsync(Calls.Responses(model: "gpt-image-1-mini", hostModel: "gpt-5"))).Succeeded();

        var final = Assert.Single(result.Frames).Final;
        Assert.Equal("gpt-image-1-mini", final.Model);
        TestImages.AssertImage(final.Data.Span, ImageFormat.Png, 1024, 1024);
    }

    [Fact]
    public async Task Responses_InputImage_IsSentAsInputImageContent()
    {
        await using var host = await AdapterHost.StartAsync();
        var plain = Calls.Responses();
        var withImage = Calls.Responses();
        withImage.InputImages.Add(Calls.Input(TestImages.SolidPng(1024, 1024, new SKColor(10, 200, 10))));

        var without = Assert.Single((await host.Client.CollectAsync(plain)).Succeeded().Finals);
        var with = Assert.Single((await host.Client.CollectAsync(withImage)).Succeeded().Finals);

        // The emulator mixes the input image into the picture: same prompt, different image.
        Assert.NotEqual(without.Sha256, with.Sha256);
    }

    [Fact]
    public async Task Responses_PartialImages_FirstPartialArrivesWhileTheProviderResponseIsStillOpen()
    {
        await using var host = await AdapterHost.StartAsync("partial-delay=1500ms");

        var frames = await StreamingProbe.AssertFirstPartialWhileProviderOpenAsync(host, Calls.Responses(partials: 3), Path);

        Assert.Equal(4, frames.Count);
        Assert.NotNull(frames[^1].Final);
    }

    [Fact]
    public async Task Responses_NTwo_InvalidArgumentWithoutCallingTheProvider()
    {
        await using var host = await AdapterHost.StartAsync();
        var request = Calls.Responses();
        request.N = 2;

        var failure = (await host.Client.CollectAsync(request)).Failure;

        Assert.Equal(StatusCode.InvalidArgument, failure.StatusCode);
        Assert.Contains("one image per call", failure.Status.Detail);
        Assert.DoesNotContain(host.Emulator.Traffic.Events, e => e.Path == Path);
    }
}
