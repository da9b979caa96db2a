using Pipeline.Imaging;

namespace Gateway.Tests.TestSupport;

/// <summary>Real PNG images for requests and the fake router's frames.</summary>
internal static class TestImages
{
    /// <summary>A <paramref name="width"/>×<paramref name="height"/> PNG: a diagonal gradient in <paramref name="color"/>, sharper with <paramref name="detail"/> (0-1).</summary>
    public static byte[] Png(int width, int height, Rgba32 color, double detail = 1)
    {
        var image = new RgbaImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var shade = detail * (x + y) / (width + height);
                image.SetPixel(x, y, new Rgba32(Mix(color.R, shade), Mix(color.G, shade), Mix(color.B, shade)));
            }
        }
        return PngCodec.Encode(image);
    }

    /// <summary>Asserts <paramref name="data"/> is a PNG of the given size.</summary>
    public static void AssertPng(byte[] data, int width, int height)
    {
        var info = ImageInspector.Inspect(data);
        Assert.Equal(ImageFormat.Png, info.Format);
        Assert.Equal((width, height), (info.Width, info.Height));
    }

    private static byte Mix(byte channel, double shade) => (byte)Math.Clamp(channel * (1 - shade) + 255 * shade * 0.5, 0, 255);
}
