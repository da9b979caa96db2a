using Pipeline.Imaging;

namespace ProviderEmulator.Tests.Support;

/// <summary>Input images for edits and checks on returned ones.</summary>
public static class TestImages
{
    public static byte[] SolidPng(int width, int height, Rgba32 colour)
    {
        var image = new RgbaImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image.SetPixel(x, y, colour);
            }
        }

        return PngCodec.Encode(image);
    }

    /// <summary>A mask whose left half is transparent (editable) and right half opaque (kept).</summary>
    public static byte[] LeftHalfMask(int width, int height)
    {
        var image = new RgbaImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = width / 2; x < width; x++)
            {
                image.SetPixel(x, y, new Rgba32(0, 0, 0, 255));
            }
        }

        return PngCodec.Encode(image);
    }

    public static void AssertImage(byte[] bytes, ImageFormat format, int width, int height) =>
        Assert.Equal(new ImageInfo(format, width, height), ImageInspector.Inspect(bytes));

    /// <summary>Mean absolute per-channel difference of two equally sized PNGs.</summary>
    public static double MeanDifference(byte[] pngA, byte[] pngB)
    {
        var a = PngCodec.Decode(pngA).Pixels;
        var b = PngCodec.Decode(pngB).Pixels;
        Assert.Equal(a.Length, b.Length);
        long sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return (double)sum / a.Length;
    }
}
