using Pipeline.Imaging;

namespace Router.Service.Tests.TestSupport;

/// <summary>Deterministic real images made with Pipeline.Imaging (storage verifies what it stores).</summary>
internal static class TestImages
{
    /// <summary>An image in <paramref name="outputFormat"/> (png, jpeg or webp; empty = png) with a pattern fixed by <paramref name="seed"/>.</summary>
    public static byte[] Encode(string outputFormat, int seed, int width = 16, int height = 12)
    {
        var image = new RgbaImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image.SetPixel(x, y, new Rgba32((byte)(x * 31 + seed * 11), (byte)(y * 17 + seed * 7), (byte)(seed * 53)));
            }
        }
        return outputFormat switch
        {
            "jpeg" => JpegCodec.Encode(image),
            "webp" => WebPCodec.EncodeLossless(image),
            _ => PngCodec.Encode(image),
        };
    }

    public static byte[] Png(int seed = 1) => Encode("png", seed);

    /// <summary>A PNG of random pixels (fixed by <paramref name="seed"/>): it hardly compresses, so it is about width x height x 4 bytes.</summary>
    public static byte[] NoisePng(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new RgbaImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image.SetPixel(x, y, new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            }
        }
        return PngCodec.Encode(image);
    }
}
