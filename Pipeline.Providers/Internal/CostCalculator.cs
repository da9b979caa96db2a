using Pipeline.Contracts.Provider.V1;

namespace Pipeline.Providers.Internal;

/// <summary>The cost of one final image from the model's price table, else from its token prices and the image's usage.</summary>
internal static class CostCalculator
{
    private const decimal MicrosPerUsd = 1_000_000m;

    /// <summary>Millionths of a USD; 0 for an unknown model or one without prices.</summary>
    public static long UsdMicros(ModelDefinition? model, FinalImage image, string? quality)
    {
        if (model is null)
        {
            return 0;
        }
        if (FindPrice(model, $"{image.Width}x{image.Height}", quality) is { } price)
        {
            return ToMicros(price.UsdPerImage);
        }
        if (image.Usage is { } usage && (model.InputUsdPerMillionTokens is not null || model.OutputUsdPerMillionTokens is not null))
        {
            var usd = (usage.InputTokens * (model.InputUsdPerMillionTokens ?? 0m) / MicrosPerUsd)
                + (usage.OutputTokens * (model.OutputUsdPerMillionTokens ?? 0m) / MicrosPerUsd);
            return ToMicros(usd);
        }
        return 0;
    }

    /// <summary>Exact size and quality first, then size alone, then quality alone, then the catch-all.</summary>
    public static PriceDefinition? FindPrice(ModelDefinition model, string size, string? quality)
    {
        bool SizeIs(PriceDefinition p) => string.Equals(p.Size, size, StringComparison.OrdinalIgnoreCase);
        bool QualityIs(PriceDefinition p) => !string.IsNullOrEmpty(quality) && string.Equals(p.Quality, quality, StringComparison.OrdinalIgnoreCase);
        return model.Prices.FirstOrDefault(p => SizeIs(p) && QualityIs(p))
            ?? model.Prices.FirstOrDefault(p => SizeIs(p) && p.Quality is null)
            ?? model.Prices.FirstOrDefault(p => p.Size is null && QualityIs(p))
            ?? model.Prices.FirstOrDefault(p => p.Size is null && p.Quality is null);
    }

    public static long ToMicros(decimal usd) => (long)decimal.Round(usd * MicrosPerUsd, MidpointRounding.AwayFromZero);
}
