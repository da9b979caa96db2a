namespace Pipeline.Imaging.Tests;

public class ImageLimitsTests
{
    [Fact]
    public void Default_Is100MegapixelsAnd16384PerSide()
    {
        Assert.Equal((100, 16_384), (ImageLimits.Default.MaxMegapixels, ImageLimits.Default.MaxSide));
        Assert.Null(ImageLimits.Default.Check(new ImageInfo(ImageFormat.WebP, 16_384, 6_103)));
        Assert.NotNull(ImageLimits.Default.Check(new ImageInfo(ImageFormat.WebP, 16_384, 6_104)));
    }

    [Fact]
    public void Check_JpegOverThePixelLimit_NamesFormatSizeAndLimits()
    {
        var reason = new ImageLimits { MaxMegapixels = 2 }.Check(new ImageInfo(ImageFormat.Jpeg, 2_000, 1_500));

        Assert.Equal("JPEG declares 2000x1500 pixels (3 MP); the limit is 2 MP and 16384 per side", reason);
    }

    [Fact]
    public void Validate_OutOfRange_ReportsEveryKey()
    {
        var errors = new List<string>();

        new ImageLimits { MaxMegapixels = 0, MaxSide = 70_000 }.Validate("Storage:ImageLimits", errors);

        Assert.Equal(
        [
            "'Storage:ImageLimits:MaxMegapixels' is 0; allowed: 1 to 1000 (default 100).",
            "'Storage:ImageLimits:MaxSide' is 70000; allowed: 16 to 65535 pixels (default 16384).",
        ], errors);
    }
}
