using Pipeline.Benchmarks.Probes;

namespace Pipeline.Benchmarks.Reporting;

/// <summary>Everything one run measured, with what is needed to judge it (machine, counts, warm-up, repeats).</summary>
public sealed record BenchmarkReport
{
    public required DateTimeOffset Date { get; init; }
    public required int Cores { get; init; }
    public required string Machine { get; init; }
    public required BenchmarkOptions Options { get; init; }

    /// <summary>Base64 characters of the image in one non-streamed response (what each request carries back).</summary>
    public required long ImageBase64Bytes { get; init; }

    /// <summary>Non-streamed latency per target ("emulator", "fleet", "portkey"), one distribution per repeat.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<Distribution>> Latency { get; init; }

    /// <summary>Time to first partial frame per target, one distribution per repeat.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<Distribution>> FirstPartial { get; init; }

    public required IReadOnlyList<ThroughputResult> Throughput { get; init; }

    /// <summary>RSS in MB per process: idle (before load), peak (during), after (2 s after the last request).</summary>
    public required IReadOnlyDictionary<string, MemoryFigures> Memory { get; init; }

    /// <summary>Median latency minus the emulator's median latency of the same repeat, per target, over the repeats.</summary>
    public IReadOnlyDictionary<string, Spread> AddedLatencyMedian => AddedOver(Latency, d => d.Median);

    /// <summary>As <see cref="AddedLatencyMedian"/> for p90 and p99.</summary>
    public IReadOnlyDictionary<string, Spread> AddedLatencyP90 => AddedOver(Latency, d => d.P90);

    public IReadOnlyDictionary<string, Spread> AddedLatencyP99 => AddedOver(Latency, d => d.P99);

    /// <summary>Fleet added median latency ÷ Portkey added median latency, per repeat; null without Portkey.</summary>
    public Spread? FleetToPortkeyRatio
    {
        get
        {
            if (!Latency.ContainsKey("portkey"))
            {
                return null;
            }
            var ratios = Enumerable.Range(0, Latency["emulator"].Count).Select(i =>
            {
                var baseline = Latency["emulator"][i].Median;
                return (Latency["fleet"][i].Median - baseline) / Math.Max(Latency["portkey"][i].Median - baseline, 0.001);
            }).ToList();
            return Spread.Of(ratios);
        }
    }

    private static Dictionary<string, Spread> AddedOver(IReadOnlyDictionary<string, IReadOnlyList<Distribution>> figures, Func<Distribution, double> pick) =>
        figures.Where(f => f.Key != "emulator").ToDictionary(
            f => f.Key,
            f => Spread.Of(f.Value.Select((d, i) => pick(d) - pick(figures["emulator"][i])).ToList()));
}

/// <summary>RSS in MB of one process at three moments.</summary>
public sealed record MemoryFigures(double Idle, double Peak, double After);
