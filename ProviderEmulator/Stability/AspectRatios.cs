namespace ProviderEmulator.Stability;

/// <summary>
/// The aspect ratios Stability's and Replicate's image models take, and the pixel size of each at one megapixel (the
/// sizes SD3.5 and FLUX render at, sides multiples of 64).
/// </summary>
internal static class AspectRatios
{
    private static readonly Dictionary<string, (int Width, int Height)> Sizes = new(StringComparer.Ordinal)
    {
        ["1:1"] = (1024, 1024),
        ["16:9"] = (1344, 768),
        ["9:16"] = (768, 1344),
        ["21:9"] = (1536, 640),
        ["9:21"] = (640, 1536),
        ["3:2"] = (1216, 832),
        ["2:3"] = (832, 1216),
        ["4:5"] = (896, 1088),
        ["5:4"] = (1088, 896),
        ["4:3"] = (1152, 896),
        ["3:4"] = (896, 1152),
    };

    /// <summary>The ratios Stability's v2beta generate endpoints accept.</summary>
    public static readonly string[] Stability = ["16:9", "1:1", "21:9", "2:3", "3:2", "4:5", "5:4", "9:16", "9:21"];

    /// <summary>The ratios FLUX on Replicate accepts.</summary>
    public static readonly string[] Flux = ["1:1", "16:9", "21:9", "3:2", "2:3", "4:5", "5:4", "3:4", "4:3", "9:16", "9:21"];

    /// <summary>Pixel size of <paramref name="ratio"/> at one megapixel, scaled by <paramref name="scale"/> (0.5 for 0.25 MP).</summary>
    public static (int Width, int Height) Size(string ratio, double scale = 1)
    {
        var (width, height) = Sizes[ratio];
        return ((int)(width * scale), (int)(height * scale));
    }
}
