using Pipeline.Contracts.Common.V1;

namespace Pipeline.Providers;

/// <summary>Helpers for the usage figures adapters put on final images.</summary>
public static class ProviderUsage
{
    /// <summary>
    /// The share of <paramref name="total"/> attributed to image <paramref name="index"/> of <paramref name="count"/>: each field
    /// divided evenly, the remainder going to the first images, so the shares add up to the total.
    /// </summary>
    public static Usage Share(Usage total, int count, int index)
    {
        ArgumentNullException.ThrowIfNull(total);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        long Part(long value) => (value / count) + (index < value % count ? 1 : 0);
        return new Usage
        {
            InputTokens = Part(total.InputTokens),
            OutputTokens = Part(total.OutputTokens),
            TotalTokens = Part(total.TotalTokens),
            InputTextTokens = Part(total.InputTextTokens),
            InputImageTokens = Part(total.InputImageTokens),
            OutputImageTokens = Part(total.OutputImageTokens),
            OutputTextTokens = Part(total.OutputTextTokens),
            InputCachedTextTokens = Part(total.InputCachedTextTokens),
            InputCachedImageTokens = Part(total.InputCachedImageTokens),
            HostModel = total.HostModel,
            HostInputTokens = Part(total.HostInputTokens),
            HostCachedInputTokens = Part(total.HostCachedInputTokens),
            HostOutputTokens = Part(total.HostOutputTokens),
        };
    }

    /// <summary>The share of a cost in USD micros for image <paramref name="index"/> of <paramref name="count"/> (shares add up).</summary>
    public static long Share(long totalUsdMicros, int count, int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return (totalUsdMicros / count) + (index < totalUsdMicros % count ? 1 : 0);
    }
}
