using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Imaging;
using ProviderEmulator.Rendering;
using ProviderEmulator.Tests.Support;

namespace ProviderEmulator.Tests.Rendering;

public class ImageStudioTests
{
    private readonly ImageStudio _studio = new(new EmulatorOptions { CacheImages = false }, NullLogger<ImageStudio>.Instance);

    [Theory]
    [InlineData(ImageFormat.Png)]
    [InlineData(ImageFormat.Jpeg)]
    [InlineData(ImageFormat.WebP)]
    public void Final_SameSpec_IsByteIdentical(ImageFormat format)
    {
        var spec = Spec("a quiet lake", 0) with { Format = format, Compression = format == ImageFormat.Png ? 100 : 80 };
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

    [Theory]
    [InlineData(ImageFormat.Png, 256, 192)]
    [InlineData(ImageFormat.Png, 1536, 1024)]
    [InlineData(ImageFormat.Jpeg, 320, 208)]
    [InlineData(ImageFormat.Jpeg, 1024, 1536)]
    [InlineData(ImageFormat.WebP, 208, 320)]
    [InlineData(ImageFormat.WebP, 1024, 1024)]
    public void Final_EachFormat_DecodesAtRequestedSize(ImageFormat format, int width, int height)
    {
        var bytes = _studio.Final(Spec("a harbour", 0) with { Format = format, Width = width, Height = height, Compression = 90 });

        TestImages.AssertImage(bytes, format, width, height);
    }

    [Theory]
    [InlineData(ImageFormat.Jpeg)]
    [InlineData(ImageFormat.WebP)]
    public void Final_LowerCompressionQuality_IsSmallerAndStillCloseToTheSamePicture(ImageFormat format)
    {
        var spec = Spec("a harbour at noon", 0) with { Format = format, Width = 512, Height = 512 };

        var low = _studio.Final(spec with { Compression = 20 });
        var high = _studio.Final(spec with { Compression = 95 });

        Assert.True(low.Length < high.Length * 0.8, $"quality 20: {low.Length} bytes, quality 95: {high.Length} bytes");
        var difference = TestImages.MeanDifference(low, high);
        Assert.True(difference is > 0 and < 10, $"mean difference {difference:F2}");
    }

    [Theory]
    [InlineData(ImageFormat.Png)]
    [InlineData(ImageFormat.WebP)]
    public void Final_Transparent_KeepsShapesOpaqueAndBackgroundClear(ImageFormat format)
    {
        var image = TestImages.Decode(_studio.Final(Spec("a logo", 0) with { Transparent = true, Format = format }));

        Assert.Contains(image.Alphas, a => a == 0);
        Assert.Contains(image.Alphas, a => a == 255);
    }

    [Theory]
    [InlineData(ImageFormat.Png)]
    [InlineData(ImageFormat.WebP)]
    public void Final_Opaque_HasNoTransparentPixel(ImageFormat format)
    {
        var image = TestImages.Decode(_studio.Final(Spec("a logo", 0) with { Format = format }));

        Assert.All(image.Alphas, a => Assert.Equal(255, a));
    }

    [Theory]
    [InlineData(ImageFormat.Png, 3)]
    [InlineData(ImageFormat.Png, 2)]
    [InlineData(ImageFormat.Jpeg, 3)]
    [InlineData(ImageFormat.WebP, 3)]
    public void Partial_EachStage_IsFinalSizedAndFormattedAndFinerThanTheLast(ImageFormat format, int count)
    {
        var spec = Spec("a city skyline", 0) with { Format = format, Compression = format == ImageFormat.Png ? 100 : 90 };
        var final = _studio.Final(spec);

        var partials = Enumerable.Range(0, count).Select(i => _studio.Partial(spec, i, count)).ToList();

        Assert.All(partials, p => TestImages.AssertImage(p, format, spec.Width, spec.Height));
        Assert.All(partials, p => Assert.NotEqual(final, p));
        var distances = partials.Select(p => TestImages.MeanDifference(p, final)).ToList();
        for (var i = 1; i < count; i++)
        {
            Assert.True(distances[i - 1] > distances[i], $"partial {i} is not closer to the final than partial {i - 1}: {string.Join(", ", distances)}");
        }

        Assert.True(distances[^1] > 0.5, string.Join(", ", distances));
    }

    [Fact]
    public void Partial_SolidEditThatKeepsEverything_StillDiffersFromFinal()
    {
        var input = UploadDecoder.TryDecode(TestImages.SolidPng(64, 64, new SkiaSharp.SKColor(40, 40, 40)))!;
        var keepAll = UploadDecoder.TryDecode(TestImages.SolidPng(64, 64, SkiaSharp.SKColors.Black))!;
        var spec = Spec("x", 0) with { Width = 64, Height = 64, Edit = new EditInput("d", input, keepAll) };

        var final = _studio.Final(spec);

        Assert.Equal(new SkiaSharp.SKColor(40, 40, 40), TestImages.Decode(final).Pixel(10, 10));
        Assert.NotEqual(final, _studio.Partial(spec, 0, 1));
    }

    [Theory]
    [InlineData(ImageFormat.Png)]
    [InlineData(ImageFormat.Jpeg)]
    [InlineData(ImageFormat.WebP)]
    public void Final_DistinctImagesWithCache_ReturnsAFreshStampedCopyOfTheSameEncodingEachCall(ImageFormat format)
    {
        var spec = Spec("a quiet lake", 0) with { Format = format, Compression = 80 };
        var plain = _studio.Final(spec);
        var distinct = new ImageStudio(new EmulatorOptions { DistinctImages = true }, NullLogger<ImageStudio>.Instance);

        var first = distinct.Final(spec);
        var second = distinct.Final(spec);

        Assert.NotEqual(first, second);
        Assert.All([first, second], image => Assert.Equal(plain.Length + ImagePadding.StampBytes + StampOverhead(format), image.Length));
        Assert.All([first, second], image => Assert.Equal(TestImages.Decode(plain).Rgba, TestImages.Decode(image).Rgba));
    }

    [Fact]
    public void Partial_DistinctImages_IsNotStamped()
    {
        var spec = Spec("a city skyline", 0);
        var distinct = new ImageStudio(new EmulatorOptions { DistinctImages = true }, NullLogger<ImageStudio>.Instance);

        Assert.Equal(distinct.Partial(spec, 0, 2), distinct.Partial(spec, 0, 2));
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
        TestImages.AssertImage(padded, format, 64, 48);
        Assert.Equal(TestImages.Decode(image).Rgba, TestImages.Decode(padded).Rgba);
    }

    private static int StampOverhead(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => 4,
        ImageFormat.WebP => 8,
        _ => 12,
    };

    private static ImageSpec Spec(string prompt, long seed) => new(prompt, 256, 192, seed, false, ImageFormat.Png, 100);
}
