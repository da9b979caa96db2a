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
        var markdown = ToMarkdown(report);
        var json = JsonSerializer.Serialize(new
        {
            report.Date, report.Cores, report.Machine, report.Options, report.Latency, report.FirstPartial, report.Throughput, report.Memory,
            AddedLatency = new { Median = report.AddedLatencyMedian, P90 = report.AddedLatencyP90, P99 = report.AddedLatencyP99 },
            report.FleetToPortkeyRatio,
        }, Json);
        await File.WriteAllTextAsync(Path.Combine(directory, $"{stamp}.json"), json, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, $"{stamp}.md"), markdown, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "latest.md"), markdown, cancellationToken);
        return markdown;
    }

    public static string ToMarkdown(BenchmarkReport r)
    {
        var o = r.Options;
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"Benchmark of {r.Date:yyyy-MM-dd HH:mm} UTC on {r.Cores} cores ({r.Machine}).");
        s.AppendLine();
        s.Append(CultureInfo.InvariantCulture,
            $"Non-streamed {o.Size} generations (quality low, {r.ImageBase64Bytes / 1000.0:0} kB of base64 each), one at a time: {o.WarmupRequests} warm-up then {o.LatencyRequests} measured requests per target, repeated {o.Repeats}×. ");
        s.AppendLine("Figures are the median over the repeats with (min–max) of the per-repeat values. The emulator injects no latency.");
        s.AppendLine();
        s.AppendLine("| path | median ms | p90 ms | p99 ms | added median ms | added p90 ms | added p99 ms |");
        s.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var (target, runs) in r.Latency)
        {
            var added = target == "emulator" ? "—" : r.AddedLatencyMedian[target].ToString();
            var added90 = target == "emulator" ? "—" : r.AddedLatencyP90[target].ToString();
            var added99 = target == "emulator" ? "—" : r.AddedLatencyP99[target].ToString();
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {Label(target)} | {Spread.Of(runs.Select(d => d.Median).ToList())} | {Spread.Of(runs.Select(d => d.P90).ToList())} | {Spread.Of(runs.Select(d => d.P99).ToList())} | {added} | {added90} | {added99} |");
        }
        if (r.FleetToPortkeyRatio is { } ratio)
        {
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"Added median latency, fleet ÷ Portkey: **{ratio.Median:0.00}** ({ratio.Min:0.00}–{ratio.Max:0.00}).");
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
        s.AppendLine();
        s.AppendLine("Throughput through the gateway (non-streamed, every image stored):");
        s.AppendLine();
        s.AppendLine("| concurrency | requests | failed | seconds | generations/s | image MB/s stored |");
        s.AppendLine("|---|---|---|---|---|---|");
        foreach (var t in r.Throughput)
        {
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {t.Concurrency} | {t.Completed} | {t.Failed} | {t.Seconds:0.0} | {t.GenerationsPerSecond:0.0} | {t.ImageMegabytesPerSecond:0.0} |");
        }
        if (r.Throughput.FirstOrDefault(t => t.FirstError is not null) is { } failing)
        {
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"First failure at concurrency {failing.Concurrency}: {failing.FirstError}");
        }
        s.AppendLine();
        s.AppendLine("Memory (RSS, MB):");
        s.AppendLine();
        s.AppendLine("| process | idle | peak | after |");
        s.AppendLine("|---|---|---|---|");
        foreach (var (name, m) in r.Memory.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {m.Idle:0} | {m.Peak:0} | {m.After:0} |");
        }
        return s.ToString();
    }

    private static string Label(string target) => target switch
    {
        "emulator" => "straight to the emulator",
        "fleet" => "fleet (gateway → router → adapter → emulator, stored)",
        "portkey" => "Portkey gateway → emulator",
        _ => target,
    };
}
