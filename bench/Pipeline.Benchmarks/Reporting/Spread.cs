namespace Pipeline.Benchmarks.Reporting;

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
