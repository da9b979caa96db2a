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

    /// <summary>Whether clients reach the gateway through DCP's endpoint proxy (then "fleet-direct" is the same fleet without it).</summary>
    public required bool GatewayProxied { get; init; }

    /// <summary>From the start of the built model until every service reported healthy.</summary>
    public required double StartupSeconds { get; init; }

    /// <summary>Non-streamed latency per target ("emulator", "fleet", "fleet-direct", "portkey"), one distribution per repeat.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<Distribution>> Latency { get; init; }

    /// <summary>Time to first partial frame per target, one distribution per repeat.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<Distribution>> FirstPartial { get; init; }

    /// <summary>Where the fleet's milliseconds go, from its traces; null when not measured.</summary>
    public required HopBreakdown? Hops { get; init; }

    /// <summary>Throughput levels per target ("fleet", "portkey"), side by side at the same concurrency.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<ThroughputResult>> Throughput { get; init; }

    /// <summary>RSS in MB per process: idle (before load), peak (whole run), at concurrency 64 (peak), after (settled).</summary>
    public required IReadOnlyDictionary<string, MemoryFigures> Memory { get; init; }

    /// <summary>The fleet's own processes (the emulator and Portkey are references, not the fleet).</summary>
    public required IReadOnlyList<string> FleetServices { get; init; }

    /// <summary>Median latency minus the emulator's median latency of the same repeat, per target, over the repeats.</summary>
    public IReadOnlyDictionary<string, Spread> AddedLatencyMedian => AddedOver(Latency, d => d.Median);

    /// <summary>As <see cref="AddedLatencyMedian"/> for p90 and p99.</summary>
    public IReadOnlyDictionary<string, Spread> AddedLatencyP90 => AddedOver(Latency, d => d.P90);

    public IReadOnlyDictionary<string, Spread> AddedLatencyP99 => AddedOver(Latency, d => d.P99);

    /// <summary>Fleet added figure ÷ Portkey added figure, per repeat; null without Portkey.</summary>
    public Spread? ToPortkey(string target, Func<Distribution, double> pick)
    {
        if (!Latency.ContainsKey("portkey") || !Latency.ContainsKey(target))
        {
            return null;
        }
        var ratios = Enumerable.Range(0, Latency["emulator"].Count).Select(i =>
        {
            var baseline = pick(Latency["emulator"][i]);
            return (pick(Latency[target][i]) - baseline) / Math.Max(pick(Latency["portkey"][i]) - baseline, 0.001);
        }).ToList();
        return Spread.Of(ratios);
    }

    private static Dictionary<string, Spread> AddedOver(IReadOnlyDictionary<string, IReadOnlyList<Distribution>> figures, Func<Distribution, double> pick) =>
        figures.Where(f => f.Key != "emulator").ToDictionary(
            f => f.Key,
            f => Spread.Of(f.Value.Select((d, i) => pick(d) - pick(figures["emulator"][i])).ToList()));
}

/// <summary>RSS in MB of one process: before the load, its peak over the run and at concurrency 64, and once the load is over.</summary>
public sealed record MemoryFigures(double Idle, double Peak, double PeakAt64, double After);
