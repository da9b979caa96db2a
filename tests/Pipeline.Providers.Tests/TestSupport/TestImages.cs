using Pipeline.Imaging;

namespace Pipeline.Providers.Tests.TestSupport;

/// <summary>Small real images in each format.</summary>
internal static class TestImages
{
    public static byte[] Png(int width = 8, int height = 6) => PngCodec.Encode(Filled(width, height));

    public static byte[] Jpeg(int width = 8, int height = 6) => JpegCodec.Encode(Filled(width, height));

    public static byte[] WebP(int width = 8, int height = 6) => WebPCodec.EncodeLossless(Filled(width, height));

    private static RgbaImage Filled(int width, int height)
    {
        var image = new RgbaImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image.SetPixel(x, y, new Rgba32((byte)(x * 20), (byte)(y * 30), 90, 255));
            }
        }
        return image;
    }
}
