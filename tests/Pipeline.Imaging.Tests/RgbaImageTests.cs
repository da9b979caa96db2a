namespace Pipeline.Imaging.Tests;

public class RgbaImageTests
{
    [Fact]
    public void SetPixel_ThenGetPixel_ReturnsSameColour()
    {
        var image = new RgbaImage(3, 2);

        image.SetPixel(2, 1, new Rgba32(1, 2, 3, 4));

        Assert.Equal(new Rgba32(1, 2, 3, 4), image.GetPixel(2, 1));
        Assert.Equal(new Rgba32(0, 0, 0, 0), image.GetPixel(0, 0));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, image.Pixels[20..24]);
    }

    [Fact]
    public void Crop_Rectangle_CopiesPixels()
    {
        var image = TestImages.Pattern(10, 8, withAlpha: true);

        var crop = image.Crop(3, 2, 4, 5);

        Assert.Equal((4, 5), (crop.Width, crop.Height));
        for (var y = 0; y < 5; y++)
        {
            for (var x = 0; x < 4; x++)
            {
                Assert.Equal(image.GetPixel(x + 3, y + 2), crop.GetPixel(x, y));
            }
        }
    }

    [Fact]
    public void Crop_OutsideImage_Throws()
    {
        var image = new RgbaImage(4, 4);

        Assert.Throws<ArgumentOutOfRangeException>(() => image.Crop(2, 2, 3, 1));
    }

    [Fact]
    public void Constructor_WrongBufferLength_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RgbaImage(2, 2, new byte[15]));

        Assert.Contains("needs 16", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetPixel_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RgbaImage(2, 2).GetPixel(2, 0));
    }

    [Fact]
    public void IsOpaque_ReflectsAlpha()
    {
        var image = TestImages.Pattern(4, 4, withAlpha: false);
        Assert.True(image.IsOpaque);

        image.SetPixel(3, 3, new Rgba32(0, 0, 0, 254));
        Assert.False(image.IsOpaque);
    }
}
