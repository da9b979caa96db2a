using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Imaging;
using ProviderEmulator.Rendering;
using ProviderEmulator.Tests.Support;

namespace ProviderEmulator.Tests.Rendering;

public class ImagePaddingTests
{
    public static TheoryData<ImageFormat> Formats => [ImageFormat.Png, ImageFormat.Jpeg, ImageFormat.WebP];

    private readonly ImageStudio _studio = new(new EmulatorOptions { CacheImages = false }, NullLogger<ImageStudio>.Instance);

    [Theory]
    [InlineData(ImageFormat.Png, false)]
    [InlineData(ImageFormat.Png, true)]
    [InlineData(ImageFormat.Jpeg, false)]
    [InlineData(ImageFormat.WebP, false)]
    [InlineData(ImageFormat.WebP, true)]
    public void Stamp_EachFormat_StaysValidWithSamePixelsAndDimensions(ImageFormat format, bool transparent)
    {
        var image = Image(format, transparent);

        var stamped = ImagePadding.Stamp(image, format);

        Assert.Equal(new ImageInfo(format, 64, 48), ImageVerifier.Verify(stamped));
        TestImages.AssertImage(stamped, format, 64, 48);
        Assert.Equal(TestImages.Decode(image).Rgba, TestImages.Decode(stamped).Rgba);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Stamp_TwoCalls_ReturnDifferentBytes(ImageFormat format)
    {
        var image = Image(format);

        var first = ImagePadding.Stamp(image, format);
        var second = ImagePadding.Stamp(image, format);

        Assert.NotEqual(first, second);
        Assert.NotEqual(image, first);
        Assert.Equal(first.Length, second.Length);
    }

    [Theory]
    [InlineData(ImageFormat.Png, 12)]
    [InlineData(ImageFormat.Jpeg, 4)]
    [InlineData(ImageFormat.WebP, 8)]
    public void Stamp_EachFormat_AddsOnlyTheStampAndItsChunkHeaderAndLeavesTheInputUnchanged(ImageFormat format, int overhead)
    {
        var image = Image(format);
        var original = image.ToArray();

        var stamped = ImagePadding.Stamp(image, format);

        Assert.Equal(image.Length + ImagePadding.StampBytes + overhead, stamped.Length);
        Assert.Equal(original, image);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void PadTo_StampedImage_StaysValid(ImageFormat format)
    {
        var stamped = ImagePadding.Stamp(Image(format), format);

        var padded = ImagePadding.PadTo(stamped, format, 100_001);

        Assert.True(padded.Length >= 100_001);
        Assert.Equal(new ImageInfo(format, 64, 48), ImageVerifier.Verify(padded));
        Assert.Equal(TestImages.Decode(stamped).Rgba, TestImages.Decode(padded).Rgba);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Stamp_NotAnImageOfThatFormat_Throws(ImageFormat format)
    {
        var other = format == ImageFormat.Png ? Image(ImageFormat.Jpeg) : Image(ImageFormat.Png);

        Assert.Throws<InvalidOperationException>(() => ImagePadding.Stamp(other, format));
    }

    private byte[] Image(ImageFormat format, bool transparent = false) =>
        _studio.Final(new ImageSpec("a stamped harbour", 64, 48, 0, transparent, format, 80));
}
