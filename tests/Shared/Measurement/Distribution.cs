namespace Pipeline.Tests.Measurement;

/// <summary>Order statistics of a sample, in milliseconds (nearest-rank percentiles).</summary>
public sealed record Distribution(int Count, double Min, double Median, double P90, double P99, double Max)
{
    /// <summary>From samples in seconds.</summary>
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
