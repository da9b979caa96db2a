using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Imaging;
using ProviderEmulator.Rendering;
using ProviderEmulator.Tests.Support;

namespace ProviderEmulator.Tests.Rendering;

public class ImageStudioTests
{
    private readonly ImageStudio _studio = new(new EmulatorOptions { CacheImages = false }, NullLogger<ImageStudio>.Instance);

    [Fact]
    public void Final_SameSpec_IsByteIdentical()
    {
        var spec = Spec("a quiet lake", 0);
        var otherStudio = new ImageStudio(new EmulatorOptions { CacheImages = false }, NullLogger<ImageStudio>.Instance);

        var first = _studio.Final(spec);
        var second = otherStudio.Final(spec);

        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData("a quiet lake", "a burning forest")]
    [InlineData("cat", "cats")]
    public void Final_DifferentPrompts_AreVisiblyDifferent(string a, string b)
    {
        var difference = TestImages.MeanDifference(_studio.Final(Spec(a, 0)), _studio.Final(Spec(b, 0)));

        Assert.True(difference > 20, $"mean difference {difference:F1}");
    }

    [Fact]
    public void Final_DifferentSeed_Differs()
    {
        Assert.NotEqual(_studio.Final(Spec("a lake", 1)), _studio.Final(Spec("a lake", 2)));
    }

    [Fact]
    public void Partial_LaterStages_AreCloserToFinal()
    {
        var spec = Spec("a city skyline", 0);
        var final = _studio.Final(spec);

        var distances = Enumerable.Range(0, 3).Select(i => TestImages.MeanDifference(_studio.Partial(spec, i, 3), final)).ToList();

        Assert.True(distances[0] > distances[1] && distances[1] > distances[2] && distances[2] > 0, string.Join(", ", distances));
    }

    [Fact]
    public void Final_Transparent_KeepsShapesOpaqueAndBackgroundClear()
    {
        var image = PngCodec.Decode(_studio.Final(Spec("a logo", 0) with { Transparent = true }));

        Assert.Contains(image.Pixels.Where((_, i) => i % 4 == 3), a => a == 0);
        Assert.Contains(image.Pixels.Where((_, i) => i % 4 == 3), a => a == 255);
    }

    [Theory]
    [InlineData(ImageFormat.Png)]
    [InlineData(ImageFormat.Jpeg)]
    [InlineData(ImageFormat.WebP)]
    public void PadTo_EachFormat_StaysValidAndReachesSize(ImageFormat format)
    {
        var image = _studio.Final(Spec("x", 0) with { Format = format, Width = 64, Height = 48, Compression = 80 });

        var padded = ImagePadding.PadTo(image, format, 200_000);

        Assert.True(padded.Length >= 200_000);
        Assert.Equal(new ImageInfo(format, 64, 48), ImageInspector.Inspect(padded));
        if (format == ImageFormat.Png)
        {
            Assert.Equal(PngCodec.Decode(image).Pixels, PngCodec.Decode(padded).Pixels);
        }
    }

    private static ImageSpec Spec(string prompt, long seed) => new(prompt, 256, 192, seed, false, ImageFormat.Png, 100);
}
