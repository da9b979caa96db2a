using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.Provider.V1;

namespace Pipeline.Providers.Internal;

/// <summary>
/// The cost of one final image. Reported usage is priced per token type (text input, cached text input, image input,
/// cached image input, image output, text output) plus the Responses host model's tokens at its own prices; the
/// size × quality table is used only when the provider reported no image usage.
/// </summary>
internal static class CostCalculator
{
    private const decimal MicrosPerUsd = 1_000_000m;

    /// <summary>A cost in millionths of a USD, and whether every part of it had a price (else it is a lower bound).</summary>
    public readonly record struct Cost(long UsdMicros, bool Known);

    public static Cost Price(ModelDefinition? model, IReadOnlyList<HostModelPrice> hostModels, FinalImage image, string? quality)
    {
        var usage = image.Usage;
        decimal usd = 0;
        var known = true;
        void Add(long tokens, decimal? usdPerMillion)
        {
            if (tokens <= 0)
            {
                return;
            }
            if (usdPerMillion is { } price)
            {
                usd += tokens * price / MicrosPerUsd;
            }
            else
            {
                known = false;
            }
        }

        if (usage is not null && (usage.InputTokens > 0 || usage.OutputTokens > 0))
        {
            AddImageTokens(usage, model, Add);
        }
        else if (model is not null && FindPrice(model, $"{image.Width}x{image.Height}", quality) is { } price)
        {
            usd += price.UsdPerImage;
        }
        else
        {
            known = false;
        }

        if (usage is not null && (usage.HostInputTokens > 0 || usage.HostOutputTokens > 0))
        {
            var host = hostModels.FirstOrDefault(h => h.Prices(usage.HostModel));
            var cached = Math.Min(usage.HostCachedInputTokens, usage.HostInputTokens);
            Add(usage.HostInputTokens - cached, host?.InputUsdPerMillionTokens);
            Add(cached, host is null ? null : host.CachedInputUsdPerMillionTokens ?? host.InputUsdPerMillionTokens);
            Add(usage.HostOutputTokens, host?.OutputUsdPerMillionTokens);
        }
        return new Cost(ToMicros(usd), known);
    }

    /// <summary>Unsplit input counts as text input and unsplit output as image output, as the Images API reports them.</summary>
    private static void AddImageTokens(Usage usage, ModelDefinition? model, Action<long, decimal?> add)
    {
        var split = usage.InputTextTokens + usage.InputImageTokens > 0;
        var text = split ? usage.InputTextTokens : usage.InputTokens;
        var cachedText = Math.Min(usage.InputCachedTextTokens, text);
        var cachedImage = Math.Min(usage.InputCachedImageTokens, usage.InputImageTokens);
        add(text - cachedText, model?.InputUsdPerMillionTokens);
        add(cachedText, model?.CachedInputUsdPerMillionTokens);
        add(usage.InputImageTokens - cachedImage, model?.ImageInputUsdPerMillionTokens);
        add(cachedImage, model?.CachedImageInputUsdPerMillionTokens);
        var outputSplit = usage.OutputImageTokens + usage.OutputTextTokens > 0;
        add(outputSplit ? usage.OutputImageTokens : usage.OutputTokens, model?.OutputUsdPerMillionTokens);
        add(outputSplit ? usage.OutputTextTokens : 0, model?.TextOutputUsdPerMillionTokens);
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
