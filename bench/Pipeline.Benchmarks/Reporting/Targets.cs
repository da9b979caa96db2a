using System.Globalization;

namespace Pipeline.Benchmarks.Reporting;

/// <summary>One target of issue 19, judged on one run: what it asks, what was measured, the ratio where it is one, met or not.</summary>
public sealed record TargetResult(string Target, string Measured, string Ratio, bool? Met);

/// <summary>The performance targets, each judged from the report's own figures (ratios against peers of the same run).</summary>
public static class Targets
{
    public const int LoadConcurrency = 64;
    private const double MegabyteCap = 200;

    public static IReadOnlyList<TargetResult> Judge(BenchmarkReport r)
    {
        var results = new List<TargetResult>();
        var median = r.ToPortkey("fleet", d => d.Median);
        results.Add(Ratio("added median latency ≤ 0.5 × Portkey's (non-streamed, stored before the answer)",
            r.AddedLatencyMedian["fleet"], r.AddedLatencyMedian.GetValueOrDefault("portkey"), median, 0.5));
        var p99 = r.ToPortkey("fleet", d => d.P99);
        results.Add(Ratio("added p99 latency ≤ 1.0 × Portkey's", r.AddedLatencyP99["fleet"], r.AddedLatencyP99.GetValueOrDefault("portkey"), p99, 1.0));

        var firstPartial = Spread.Of(r.FirstPartial["fleet"].Select((d, i) => d.Median - r.FirstPartial["emulator"][i].Median).ToList());
        results.Add(new TargetResult("time to first partial ≤ the emulator's + 1 ms (median)",
            $"+{firstPartial.Median:0.0} ms ({Spread.Of(r.FirstPartial["fleet"].Select(d => d.Median).ToList()).Median:0.0} vs {Spread.Of(r.FirstPartial["emulator"].Select(d => d.Median).ToList()).Median:0.0} ms)",
            "—", firstPartial.Median <= 1.0));

        var fleet = r.Throughput["fleet"].FirstOrDefault(t => t.Concurrency == LoadConcurrency);
        var portkey = r.Throughput.GetValueOrDefault("portkey")?.FirstOrDefault(t => t.Concurrency == LoadConcurrency);
        if (fleet is null)
        {
            results.Add(new TargetResult($"generations/s at concurrency {LoadConcurrency} ≥ Portkey's requests/s", "not measured (no level 64)", "—", null));
        }
        else
        {
            var distinct = fleet.StoredBlobs >= fleet.Completed ? "every image distinct and stored" : $"only {fleet.StoredBlobs} of {fleet.Completed} images stored as new blobs";
            var ratio = portkey is null ? (double?)null : fleet.GenerationsPerSecond / portkey.GenerationsPerSecond;
            results.Add(new TargetResult($"generations/s at concurrency {LoadConcurrency} ≥ Portkey's requests/s, every image distinct and stored",
                $"{fleet.GenerationsPerSecond:0.0} vs {(portkey is null ? "—" : portkey.GenerationsPerSecond.ToString("0.0", CultureInfo.InvariantCulture))}/s, {fleet.Failed} failed; {distinct}",
                ratio is null ? "—" : $"{ratio:0.00}",
                ratio is null ? null : ratio >= 1.0 && fleet.Failed == 0 && fleet.StoredBlobs >= fleet.Completed));
        }

        var services = r.FleetServices.Where(r.Memory.ContainsKey).ToList();
        var growth = services.Select(s => (Service: s, Growth: r.Memory[s].After / Math.Max(r.Memory[s].Idle, 1) - 1)).OrderByDescending(g => g.Growth).First();
        results.Add(new TargetResult("RSS after the load within 25 % of idle (every service)",
            $"worst: {growth.Service} +{growth.Growth * 100:0} % ({r.Memory[growth.Service].Idle:0} → {r.Memory[growth.Service].After:0} MB)", "—", growth.Growth <= 0.25));
        var peak = services.Select(s => (Service: s, Peak: r.Memory[s].PeakAt64)).OrderByDescending(p => p.Peak).First();
        results.Add(new TargetResult($"no service peaks over {MegabyteCap:0} MB at concurrency {LoadConcurrency}",
            fleet is null ? "not measured" : $"highest: {peak.Service} {peak.Peak:0} MB", "—", fleet is null ? null : peak.Peak <= MegabyteCap));

        results.Add(new TargetResult("fleet start to all-healthy ≤ 10 s (after the build)", $"{r.StartupSeconds:0.0} s", "—", r.StartupSeconds <= 10));
        return results;
    }

    private static TargetResult Ratio(string target, Spread fleet, Spread? portkey, Spread? ratio, double goal) => new(
        target,
        portkey is null ? $"{fleet.Median:0.0} ms (no Portkey)" : $"{fleet.Median:0.0} vs {portkey.Median:0.0} ms",
        ratio is null ? "—" : $"{ratio.Median:0.00} ({ratio.Min:0.00}–{ratio.Max:0.00})",
        ratio is null ? null : ratio.Median <= goal);
}
