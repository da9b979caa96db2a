using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Pipeline.Benchmarks.Reporting;

/// <summary>Renders a report as Markdown (also printed to the console) and JSON.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Writes <c>{stamp}.json</c>, <c>{stamp}.md</c> and <c>latest.md</c> to the results folder; returns the Markdown.</summary>
    public static async Task<string> WriteAsync(BenchmarkReport report, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var stamp = report.Date.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var targets = Targets.Judge(report);
        var markdown = ToMarkdown(report, targets);
        var json = JsonSerializer.Serialize(new
        {
            report.Date, report.Cores, report.Machine, report.Options, report.GatewayProxied, report.StartupSeconds,
            report.Latency, report.FirstPartial, report.Hops, report.Throughput, report.Memory,
            AddedLatency = new { Median = report.AddedLatencyMedian, P90 = report.AddedLatencyP90, P99 = report.AddedLatencyP99 },
            Targets = targets,
        }, Json);
        await File.WriteAllTextAsync(Path.Combine(directory, $"{stamp}.json"), json, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, $"{stamp}.md"), markdown, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "latest.md"), markdown, cancellationToken);
        return markdown;
    }

    public static string ToMarkdown(BenchmarkReport r, IReadOnlyList<TargetResult> targets)
    {
        var o = r.Options;
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"Benchmark of {r.Date:yyyy-MM-dd HH:mm} UTC on {r.Cores} cores ({r.Machine}).");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture,
            $"The fleet runs as `dotnet run --project AppHost` runs it: every service sends its traces to the Aspire dashboard, and clients reach the gateway {(r.GatewayProxied ? "through DCP's endpoint proxy (\"fleet\"); \"fleet, proxy bypassed\" is the same gateway at its own port" : "directly (its endpoint is not proxied)")}. Internal hops are not proxied. The emulator injects no latency and returns a distinct image every time, so storage writes every one.");
        s.AppendLine();
        AppendTargets(s, targets);
        s.AppendLine();
        s.Append(CultureInfo.InvariantCulture,
            $"Non-streamed {o.Size} generations (quality low, {r.ImageBase64Bytes / 1000.0:0} kB of base64 each), one at a time: {o.WarmupRequests} warm-up then {o.LatencyRequests} measured requests per target, repeated {o.Repeats}×. ");
        s.AppendLine("Figures are the median over the repeats with (min–max) of the per-repeat values.");
        s.AppendLine();
        s.AppendLine("| path | median ms | p90 ms | p99 ms | added median ms | added p90 ms | added p99 ms | added median ÷ Portkey's |");
        s.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var (target, runs) in r.Latency)
        {
            string Added(IReadOnlyDictionary<string, Spread> added) => target == "emulator" ? "—" : added[target].ToString();
            var ratio = target is "emulator" or "portkey" ? null : r.ToPortkey(target, d => d.Median);
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {Label(target)} | {Spread.Of(runs.Select(d => d.Median).ToList())} | {Spread.Of(runs.Select(d => d.P90).ToList())} | {Spread.Of(runs.Select(d => d.P99).ToList())} | {Added(r.AddedLatencyMedian)} | {Added(r.AddedLatencyP90)} | {Added(r.AddedLatencyP99)} | {(ratio is null ? "—" : $"{ratio.Median:0.00}")} |");
        }
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Time to first partial frame (streamed, 2 partials, {o.FirstPartialRequests} requests per target and repeat):");
        s.AppendLine();
        s.AppendLine("| path | median ms | p90 ms | p99 ms |");
        s.AppendLine("|---|---|---|---|");
        foreach (var (target, runs) in r.FirstPartial)
        {
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {Label(target)} | {Spread.Of(runs.Select(d => d.Median).ToList())} | {Spread.Of(runs.Select(d => d.P90).ToList())} | {Spread.Of(runs.Select(d => d.P99).ToList())} |");
        }
        if (r.Hops is { } hops)
        {
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture,
                $"Where a non-streamed generation's time goes, from the traces of {hops.Traces} requests through the gateway: each moment of a trace goes to the span that started last among those running then (the innermost work; of two overlapping calls, the later), so nothing is counted twice. A hop \"a → b\" is the part of a's call to b outside b's server span: serialization, the wire, b's framework.");
            s.AppendLine();
            s.AppendLine("| where | mean ms | median ms | p90 ms |");
            s.AppendLine("|---|---|---|---|");
            foreach (var hop in hops.Hops)
            {
                s.AppendLine(CultureInfo.InvariantCulture, $"| {hop.Label} | {hop.MeanMs:0.00} | {hop.MedianMs:0.00} | {hop.P90Ms:0.00} |");
            }
            s.AppendLine(CultureInfo.InvariantCulture, $"| **all** (the means add up) | {hops.Hops.Sum(h => h.MeanMs):0.00} | | |");
        }
        s.AppendLine();
        s.AppendLine("Throughput, non-streamed, the fleet (every image stored) and Portkey (relaying) side by side at each concurrency:");
        s.AppendLine();
        s.AppendLine("| concurrency | target | requests | failed | seconds | generations/s | image MB/s | new images stored |");
        s.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var level in r.Throughput.SelectMany(t => t.Value.Select(v => (Target: t.Key, Result: v))).OrderBy(t => t.Result.Concurrency).ThenBy(t => t.Target, StringComparer.Ordinal))
        {
            var t = level.Result;
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {t.Concurrency} | {level.Target} | {t.Completed} | {t.Failed} | {t.Seconds:0.0} | {t.GenerationsPerSecond:0.0} | {t.ImageMegabytesPerSecond:0.0} | {(t.StoredBlobs is { } n ? n.ToString(CultureInfo.InvariantCulture) : "—")} |");
        }
        foreach (var (target, levels) in r.Throughput)
        {
            if (levels.FirstOrDefault(t => t.FirstError is not null) is { } failing)
            {
                s.AppendLine();
                s.AppendLine(CultureInfo.InvariantCulture, $"First failure of {target} at concurrency {failing.Concurrency}: {failing.FirstError}");
            }
        }
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Memory (RSS, MB; \"after\" is read {o.SettleTime.TotalSeconds:0} s after the last request):");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"| process | idle | peak at concurrency {Targets.LoadConcurrency} | peak | after | after ÷ idle |");
        s.AppendLine("|---|---|---|---|---|---|");
        foreach (var (name, m) in r.Memory.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {m.Idle:0} | {(m.PeakAt64 > 0 ? m.PeakAt64.ToString("0", CultureInfo.InvariantCulture) : "—")} | {m.Peak:0} | {m.After:0} | {m.After / Math.Max(m.Idle, 1):0.00} |");
        }
        return s.ToString();
    }

    private static void AppendTargets(StringBuilder s, IReadOnlyList<TargetResult> targets)
    {
        s.AppendLine("| target | measured | ratio | met |");
        s.AppendLine("|---|---|---|---|");
        foreach (var t in targets)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| {t.Target} | {t.Measured} | {t.Ratio} | {(t.Met switch { true => "met", false => "**not met**", null => "not measured" })} |");
        }
    }

    private static string Label(string target) => target switch
    {
        "emulator" => "straight to the emulator",
        "fleet" => "fleet (gateway → router → adapter → emulator, stored)",
        "fleet-direct" => "fleet, proxy bypassed",
        "portkey" => "Portkey gateway → emulator",
        _ => target,
    };
}
