using System.Globalization;
using System.Text.Json.Nodes;
using Pipeline.Providers;

namespace OpenRouter.Adapter.Chat;

/// <summary>
/// Turns the request's "WxH" size into OpenRouter's <c>image_config</c> (<c>aspect_ratio</c>, <c>image_size</c>), using the
/// Gemini size table (<c>1:1</c> = 1024², <c>16:9</c> = 1344×768, …; <c>image_size</c> 0.5K/1K/2K/4K scales them).
/// </summary>
internal static class ImageConfigMapper
{
    private static readonly (string Ratio, int Width, int Height)[] Ratios =
    [
        ("1:1", 1024, 1024), ("2:3", 832, 1248), ("3:2", 1248, 832), ("3:4", 864, 1184), ("4:3", 1184, 864),
        ("4:5", 896, 1152), ("5:4", 1152, 896), ("9:16", 768, 1344), ("16:9", 1344, 768), ("21:9", 1536, 672),
    ];

    private static readonly (string Name, double Scale)[] ImageSizes = [("1K", 1.0), ("0.5K", 0.5), ("2K", 2.0), ("4K", 4.0)];

    /// <summary>Adds aspect_ratio (and image_size) for <paramref name="size"/> unless the config already has them.</summary>
    public static void ApplySize(string size, JsonObject imageConfig)
    {
        if (string.IsNullOrEmpty(size) || size == "auto" || imageConfig.ContainsKey("aspect_ratio"))
        {
            return;
        }
        if (!TryParse(size, out var width, out var height))
        {
            throw Invalid($"size '{size}' is not \"WIDTHxHEIGHT\" or \"auto\"");
        }
        foreach (var (name, scale) in ImageSizes)
        {
            foreach (var (ratio, w, h) in Ratios)
            {
                if ((int)(w * scale) == width && (int)(h * scale) == height)
                {
                    imageConfig["aspect_ratio"] = ratio;
                    if (name != "1K" && !imageConfig.ContainsKey("image_size"))
                    {
                        imageConfig["image_size"] = name;
                    }
                    return;
                }
            }
        }
        var divisor = Gcd(width, height);
        var reduced = $"{width / divisor}:{height / divisor}";
        if (Ratios.Any(r => r.Ratio == reduced))
        {
            imageConfig["aspect_ratio"] = reduced;
            return;
        }
        throw Invalid($"size '{size}' has no OpenRouter aspect ratio; use one of {string.Join(", ", Ratios.Select(r => $"{r.Width}x{r.Height} ({r.Ratio})"))} or set extra.aspect_ratio");
    }

    private static bool TryParse(string size, out int width, out int height)
    {
        width = height = 0;
        var parts = size.Split('x');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out width)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out height)
            && width > 0 && height > 0;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    private static ProviderException Invalid(string message) =>
        new(ProviderFailureKind.InvalidRequest, message) { Param = "size" };
}
