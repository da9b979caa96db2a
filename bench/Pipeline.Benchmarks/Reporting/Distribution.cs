namespace Pipeline.Benchmarks.Reporting;

/// <summary>Order statistics of a sample, in milliseconds.</summary>
public sealed record Distribution(int Count, double Min, double Median, double P90, double P99, double Max)
{
    /// <summary>From samples in seconds (nearest-rank percentiles).</summary>
    public static Distribution FromSeconds(IReadOnlyCollection<double> seconds)
    {
        if (seconds.Count == 0)
        {
            throw new ArgumentException("no samples", nameof(seconds));
        }
        var sorted = seconds.Select(s => s * 1000).Order().ToArray();
        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Distribution(sorted.Length, sorted[0], Rank(0.5), Rank(0.9), Rank(0.99), sorted[^1]);
    }
}

/// <summary>The spread of one figure over repeated runs: min / median / max of the per-run values.</summary>
public sealed record Spread(double Min, double Median, double Max)
{
    public static Spread Of(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        return new Spread(sorted[0], median, sorted[^1]);
    }

    public override string ToString() => Min == Max ? $"{Median:0.0}" : $"{Median:0.0} ({Min:0.0}–{Max:0.0})";
}
