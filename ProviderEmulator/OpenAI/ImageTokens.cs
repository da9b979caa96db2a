namespace ProviderEmulator.OpenAI;

/// <summary>Plausible token counts for GPT image usage blocks (OpenAI's published per-quality table, scaled by area).</summary>
internal static class ImageTokens
{
    public const int PerInputImage = 323;

    public static int Text(string prompt) => Math.Max(1, (prompt.Length + 3) / 4);

    public static int Output(string quality, int width, int height)
    {
        var perMegapixel = quality switch
        {
            "low" => 272,
            "medium" => 1056,
            _ => 4160,
        };
        return (int)Math.Round(perMegapixel * (width * (double)height) / (1024 * 1024));
    }
}
