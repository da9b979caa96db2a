namespace Pipeline.Imaging.Tests;

/// <summary>Fixture files (made by Pillow, see Fixtures/make_fixtures.py) and synthetic images.</summary>
internal static class TestImages
{
    public const int FixtureWidth = 13;
    public const int FixtureHeight = 11;

    public static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    /// <summary>The formula make_fixtures.py draws with.</summary>
    public static Rgba32 FixturePixel(int x, int y) =>
        new((byte)(x * 19 % 256), (byte)(y * 23 % 256), (byte)((x + y) * 7 % 256), (byte)(x * y * 5 % 256));

    /// <summary>A deterministic image with gradients, hard edges and (optionally) varying alpha.</summary>
    public static RgbaImage Pattern(int width, int height, bool withAlpha)
    {
        var image = new RgbaImage(width, height);
        var random = new Random(width * 31 + height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var edge = ((x / 7) + (y / 5)) % 2 == 0 ? 40 : 0;
                image.SetPixel(x, y, new Rgba32(
                    (byte)((x * 255 / Math.Max(1, width - 1)) ^ edge),
                    (byte)(y * 255 / Math.Max(1, height - 1)),
                    (byte)random.Next(256),
                    withAlpha ? (byte)((x + y) * 11 % 256) : (byte)255));
            }
        }

        return image;
    }
}
