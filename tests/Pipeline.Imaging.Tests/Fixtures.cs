namespace Pipeline.Imaging.Tests;

/// <summary>The fixture files, made by Pillow (an independent encoder, see Fixtures/make_fixtures.py); all 13×11 pixels.</summary>
internal static class Fixtures
{
    public const int Width = 13;
    public const int Height = 11;

    /// <summary>Every fixture file name.</summary>
    public static readonly string[] All =
    [
        "rgba8.png", "rgb8.png", "gray8.png", "grayalpha8.png", "palette8_trns.png", "palette2_trns.png", "gray1.png", "gray16.png",
        "photo.jpg", "progressive.jpg", "lossy.webp", "lossless.webp",
    ];

    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
