using Grpc.Core;
using OpenAI.Adapter.Tests.TestSupport;
using Pipeline.Imaging;
using Pipeline.Providers;
using ProviderEmulator.Hosting;
using SkiaSharp;

namespace OpenAI.Adapter.Tests.Images;

/// <summary>POST /images/edits through the adapter: several input images, a mask, and streamed partials.</summary>
public sealed class ImageEditsTests
{
    private const string Path = "/v1/images/edits";
    private static readonly SKColor Red = new(200, 30, 30);
    private static readonly SKColor Blue = new(20, 40, 210);

    [Fact]
    public async Task Edit_TwoImagesAndMask_SendsBothImagesAndAppliesTheMask()
    {
        await using var host = await AdapterHost.StartAsync();
        var request = Calls.Edit(0, TestImages.SolidPng(1024, 1024, Red), TestImages.SolidPng(1024, 1024, Blue));
        request.Mask = Calls.Input(TestImages.LeftHalfMask(1024, 1024));

        var result = (await host.Client.CollectAsync(request)).Succeeded();

        var final = Assert.Single(result.Finals);
        TestImages.AssertImage(final.Data.Span, ImageFormat.Png, 1024, 1024);
        // The emulator counts 323 tokens per input image it received.
        Assert.Equal(2 * 323, final.Usage.InputImageTokens);
        // Opaque (right) half of the mask: the first input image is kept; transparent (left) half: generated.
        using var pixels = TestImages.Decode(final.Data.Span);
        Assert.Equal(Red, pixels.GetPixel(900, 512));
        Assert.NotEqual(Red, pixels.GetPixel(100, 512));
    }

    [Fact]
    public async Task Edit_OneImage_ReturnsEditedFinal()
    {
        await using var host = await AdapterHost.StartAsync();

        var result = (await host.Client.CollectAsync(Calls.Edit(0, TestImages.SolidPng(512, 512, Blue)))).Succeeded();

        var final = Assert.Single(result.Finals);
        TestImages.AssertImage(final.Data.Span, ImageFormat.Png, 1024, 1024);
        Assert.Equal(323, final.Usage.InputImageTokens);
        Assert.StartsWith("req_", final.ProviderRequestId);
    }

    [Fact]
    public async Task Edit_NTwo_ReturnsTwoFinalsEachWithItsIndex()
    {
        await using var host = await AdapterHost.StartAsync();
        var request = Calls.Edit(0, TestImages.SolidPng(1024, 1024, Red));
        request.N = 2;

        var result = (await host.Client.CollectAsync(request)).Succeeded();

        Assert.Equal([0, 1], result.Finals.Select(f => f.ImageIndex));
    }

    [Fact]
    public async Task Edit_PartialImages_StreamsThemBeforeTheFinal()
    {
        await using var host = await AdapterHost.StartAsync();
        var request = Calls.Edit(2, TestImages.SolidPng(1024, 1024, Red), TestImages.SolidPng(1024, 1024, Blue));
        request.Mask = Calls.Input(TestImages.LeftHalfMask(1024, 1024));

        var result = (await host.Client.CollectAsync(request)).Succeeded();

        Assert.Equal([0, 1], result.Partials.Select(p => p.PartialIndex));
        Assert.All(result.Partials, p => TestImages.AssertImage(p.Data.Span, ImageFormat.Png, 1024, 1024));
        var final = Assert.Single(result.Finals);
        Assert.Same(final, result.Frames[^1].Final);
        TestImages.AssertImage(final.Data.Span, ImageFormat.Png, 1024, 1024);
        Assert.Equal(2 * 323, final.Usage.InputImageTokens);
    }

    [Fact]
    public async Task Edit_PartialImages_FirstPartialArrivesWhileTheProviderResponseIsStillOpen()
    {
        await using var host = await AdapterHost.StartAsync("partial-delay=1500ms");

        var frames = await StreamingProbe.AssertFirstPartialWhileProviderOpenAsync(host, Calls.Edit(3, TestImages.SolidPng(1024, 1024, Red)), Path);

        Assert.Equal(4, frames.Count);
        Assert.NotNull(frames[^1].Final);
    }

    [Fact]
    public async Task Edit_RequestJustUnder64MiB_AcceptedAndBothImagesReachTheProvider()
    {
        await using var host = await AdapterHost.StartAsync();
        // Two valid PNGs of 30 MiB each (a private ancillary chunk that decoders skip): 60 MiB on the wire, above every
        // default limit on the way (grpc-dotnet's 4 MiB, Kestrel's 30 MB request body) and below the adapters' 64 MiB.
        var padding = new byte[30 * 1024 * 1024];
        var request = Calls.Edit(0,
            TestImages.WithChunk(TestImages.SolidPng(1024, 1024, Red), "emUl", padding),
            TestImages.WithChunk(TestImages.SolidPng(1024, 1024, Blue), "emUl", padding));
        Assert.InRange(request.CalculateSize(), 60 * 1024 * 1024, ProviderAdapterExtensions.MaxRequestBytes);

        var result = (await host.Client.CollectAsync(request)).Succeeded();

        var final = Assert.Single(result.Finals);
        TestImages.AssertImage(final.Data.Span, ImageFormat.Png, 1024, 1024);
        Assert.Equal(2 * 323, final.Usage.InputImageTokens);
    }

    [Fact]
    public async Task Edit_RequestAbove64MiB_ResourceExhaustedWithoutCallingTheProvider()
    {
        await using var host = await AdapterHost.StartAsync();
        var request = Calls.Edit(0, TestImages.WithChunk(TestImages.SolidPng(256, 256, Red), "emUl", new byte[ProviderAdapterExtensions.MaxRequestBytes]));

        var failure = (await host.Client.CollectAsync(request)).Failure;

        Assert.Equal(StatusCode.ResourceExhausted, failure.StatusCode);
        Assert.DoesNotContain(host.Emulator.Traffic.Events, e => e.Kind == EmulatorEventKind.RequestStarted);
    }
}
