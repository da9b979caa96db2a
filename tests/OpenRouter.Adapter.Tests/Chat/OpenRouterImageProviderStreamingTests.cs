using OpenRouter.Adapter.Tests.TestSupport;
using Pipeline.Contracts.Provider.V1;
using Grpc.Core;
using Pipeline.Imaging;
using ProviderEmulator.Hosting;

namespace OpenRouter.Adapter.Tests.Chat;

/// <summary>Streamed chat completions (partial_images above 0): image deltas become frames as the emulator sends them.</summary>
public sealed class OpenRouterImageProviderStreamingTests
{
    [Fact]
    public async Task Generate_Streamed_PartialThenFinalWithTheSameVerifiedImage()
    {
        await using var host = await AdapterHost.StartAsync();

        var (frames, status) = await host.GenerateAsync(Requests.Small(partialImages: 1));

        StatusAssert.Ok(status);
        Assert.Equal(2, frames.Count);
        var partial = frames[0].Partial;
        var final = frames[1].Final;
        Assert.Equal((0, 0, "image/png"), (partial.ImageIndex, partial.PartialIndex, partial.MimeType));
        Assert.Equal(partial.Data, final.Data);
        var info = ImageInspector.Inspect(final.Data.Span);
        Assert.Equal((512, 512), (info.Width, info.Height));
        Assert.Equal(1294, final.Usage.OutputTokens);
        Assert.True(final.CostUsdMicros > 0);
        Assert.Equal("Here is your image.", final.Text);
    }

    [Fact]
    public async Task Generate_Streamed_PartialArrivesWhileTheEmulatorIsStillSending()
    {
        // partial-delay pauses the emulator 3 s before each chunk group, including the usage chunk after the image.
        await using var host = await AdapterHost.StartAsync(fault: "partial-delay=3s");
        using var call = host.Client.Generate(Requests.Small(partialImages: 1), AdapterHost.Deadline());
        await using var frames = call.ResponseStream.ReadAllAsync().GetAsyncEnumerator();

        Assert.True(await frames.MoveNextAsync().AsTask().DefaultTimeout());
        var partial = frames.Current.Partial;
        var completedWhenPartialArrived = host.Emulator.Traffic.Events.Any(e => e.Kind == EmulatorEventKind.RequestCompleted);
        Assert.True(await frames.MoveNextAsync().AsTask().DefaultTimeout());
        var final = frames.Current.Final;
        Assert.False(await frames.MoveNextAsync().AsTask().DefaultTimeout());

        Assert.NotNull(partial);
        Assert.False(completedWhenPartialArrived, "the partial frame was held back until the emulator had finished the response");
        Assert.Equal(partial.Data, final.Data);
        var completed = await host.Emulator.Traffic.WaitForAsync(e => e.Kind == EmulatorEventKind.RequestCompleted).DefaultTimeout();
        Assert.Equal(200, completed.StatusCode);
    }

    [Fact]
    public async Task Generate_StreamedTwoImages_EachPartialBeforeItsFinal()
    {
        await using var host = await AdapterHost.StartAsync();

        var (frames, status) = await host.GenerateAsync(Requests.Small(partialImages: 2, n: 2));

        StatusAssert.Ok(status);
        Assert.Equal(
            ["partial 0", "final 0", "partial 1", "final 1"],
            frames.Select(f => f.FrameCase == ProviderFrame.FrameOneofCase.Partial ? $"partial {f.Partial.ImageIndex}" : $"final {f.Final.ImageIndex}"));
    }

    [Fact]
    public async Task Generate_StreamTrickledInSmallPieces_ParsedWhole()
    {
        await using var host = await AdapterHost.StartAsync(fault: "trickle=16KB@1ms");

        var (frames, status) = await host.GenerateAsync(Requests.Small(partialImages: 1));

        StatusAssert.Ok(status);
        Assert.Equal(512, frames[^1].Final.Width);
    }
}
