using Pipeline.Imaging;

namespace Storage.Service.Tests.TestSupport;

/// <summary>Deterministic test images made with Pipeline.Imaging.</summary>
internal static class TestImages
{
    /// <summary>A PNG of <paramref name="width"/>×<paramref name="height"/> with a pattern fixed by <paramref name="seed"/>.</summary>
    public static byte[] Png(int width = 8, int height = 6, int seed = 1) => PngCodec.Encode(Pattern(width, height, seed));

    /// <summary>A PNG of pseudo-random opaque noise, so its size is close to 3 bytes a pixel.</summary>
    public static byte[] NoisePng(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new RgbaImage(width, height);
        random.NextBytes(image.Pixels);
        for (var i = 3; i < image.Pixels.Length; i += 4)
        {
            image.Pixels[i] = 255;
        }
        return PngCodec.Encode(image);
    }

    /// <summary>A baseline JPEG.</summary>
    public static byte[] Jpeg(int width = 16, int height = 16, int seed = 1) => JpegCodec.Encode(Pattern(width, height, seed));

    /// <summary>A 2×2 grid whose quadrants are solid red, green, blue and white.</summary>
    public static RgbaImage Quadrants(int width, int height)
    {
        var image = new RgbaImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var color = (x < width / 2, y < height / 2) switch
                {
                    (true, true) => new Rgba32(255, 0, 0),
                    (false, true) => new Rgba32(0, 255, 0),
                    (true, false) => new Rgba32(0, 0, 255),
                    _ => new Rgba32(255, 255, 255),
                };
                image.SetPixel(x, y, color);
            }
        }
        return image;
    }

    private static RgbaImage Pattern(int width, int height, int seed)
    {
        var image = new RgbaImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image.SetPixel(x, y, new Rgba32((byte)(x * 31 + seed), (byte)(y * 17 + seed * 7), (byte)(seed * 13)));
            }
        }
        return image;
    }
}
