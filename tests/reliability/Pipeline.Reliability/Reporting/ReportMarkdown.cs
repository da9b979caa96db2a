using System.Globalization;
using System.Text;
using Pipeline.Reliability.Soak;

namespace Pipeline.Reliability.Reporting;

/// <summary>A report as Markdown: the summary (what the README's "Reliability" section shows) and the details.</summary>
public static class ReportMarkdown
{
    /// <summary>Failures listed in the Markdown per suite; the JSON holds all of them.</summary>
    public const int FailuresShown = 50;

    /// <summary>The line naming the run and the table of the README's "Reliability" section.</summary>
    public static string Summary(ReliabilityReport r)
    {
        var s = new StringBuilder();
        s.AppendLine(I($"Reliability run of {r.Date:yyyy-MM-dd HH:mm} UTC on {r.Cores} cores ({r.OperatingSystem}, .NET {r.Runtime}): {Run(r.Options)}, seed {r.Seed}, {r.Duration.TotalMinutes:0.0} minutes in all. **{(r.Passed ? "Passed" : "Failed")}.**"));
        s.AppendLine();
        s.AppendLine("| figure | value |");
        s.AppendLine("|---|---|");
        var fuzz = r.Fuzz;
        Row(s, "generated cases tried", fuzz is null ? NotRun : Count(fuzz.CasesTried));
        Row(s, "crashes", fuzz is null ? NotRun : Count(fuzz.Crashes));
        Row(s, "5xx / INTERNAL for client faults", fuzz is null ? NotRun : Count(fuzz.ServerErrors));
        Row(s, "wrong envelopes", fuzz is null ? NotRun : Count(fuzz.WrongEnvelopes));
        Row(s, "refused by Kestrel before the fleet (a NUL in the path: bare 400, no envelope possible)", fuzz is null ? NotRun : Count(fuzz.RefusedByHttpServer));
        var faults = r.Faults;
        Row(s, "faults survived", faults is null ? NotRun
            : I($"{faults.Survived:N0} of {faults.Injected:N0}"));
        Row(s, "images lost", faults is null ? NotRun : Count(faults.ImagesLost));
        if (r.Soak is not { } soak)
        {
            Row(s, "soak", NotRun);
            return s.ToString();
        }
        Row(s, "soak", I($"{soak.Streams} streams × {soak.Duration.TotalMinutes:0.#} min: {soak.Completed:N0} of {soak.Calls:N0} streamed generations completed"));
        Row(s, "soak errors by kind", soak.ErrorsByKind.Count == 0 ? "none" : string.Join(", ", soak.ErrorsByKind.Select(e => I($"{e.Key} {e.Value:N0}"))));
        Row(s, "time to first partial, p50 / p99", soak.FirstPartial is { } partial ? I($"{partial.Median:N0} / {partial.P99:N0} ms") : "none arrived");
        Row(s, "time to final, p50 / p99", soak.Final is { } final ? I($"{final.Median:N0} / {final.P99:N0} ms") : "none arrived");
        if (soak.Services.Count > 0)
        {
            var worst = soak.Services.MaxBy(t => t.RssGrowth)!;
            Row(s, I($"RSS growth after warm-up ({soak.Warmup.TotalSeconds:0} s), max"), I($"{worst.RssGrowth:+0.0%;-0.0%} ({worst.Service}); limit +{ServiceTrend.RssGrowthLimit:0%}"));
            Row(s, "descriptors start → end", string.Join(", ", soak.Services.Select(t => I($"{t.Service} {t.Start.Descriptors} → {t.End.Descriptors}"))));
        }
        return s.ToString();
    }

    /// <summary>The summary, then per-service figures, the samples, and every failure.</summary>
    public static string Full(ReliabilityReport r)
    {
        var s = new StringBuilder(Summary(r));
        if (r.Soak is { Services.Count: > 0 } soak)
        {
            s.AppendLine();
            s.AppendLine(I($"Soak per service: RSS in MB and open descriptors at the start (before load), after warm-up (the first sample at or after {soak.Warmup.TotalSeconds:0} s) and at the end of the load ({soak.Duration.TotalSeconds:0} s). Passes when RSS grows less than {ServiceTrend.RssGrowthLimit:0%} from after warm-up to the end, and descriptors are flat: the end is at most the after-warm-up count plus {ServiceTrend.DescriptorSlackFraction:0%} of it (at least {ServiceTrend.DescriptorSlackMinimum})."));
            s.AppendLine();
            s.AppendLine("| service | RSS start | after warm-up | end | peak | growth | descriptors start | after warm-up | end | slack | processes |");
            s.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var t in soak.Services)
            {
                s.AppendLine(I($"| {t.Service} | {t.Start.RssMb:0} | {t.AfterWarmup.RssMb:0} | {t.End.RssMb:0} | {t.PeakRssMb:0} | {t.RssGrowth:+0.0%;-0.0%} | {t.Start.Descriptors} | {t.AfterWarmup.Descriptors} | {t.End.Descriptors} | {t.DescriptorSlack} | {t.Processes} |"));
            }
            var services = soak.Services.Select(t => t.Service).ToList();
            s.AppendLine();
            s.AppendLine("Samples (RSS MB / open descriptors; the last row is after the calls in flight drained):");
            s.AppendLine();
            s.AppendLine(I($"| at | {string.Join(" | ", services)} |"));
            s.AppendLine(I($"|---|{string.Concat(services.Select(_ => "---|"))}"));
            foreach (var at in soak.Samples.GroupBy(x => x.At).OrderBy(g => g.Key))
            {
                var byService = at.ToDictionary(x => x.Service, StringComparer.Ordinal);
                s.AppendLine(I($"| {at.Key.TotalSeconds:0} s{(at.Key > soak.LoadEnded ? ", drained" : "")} | {string.Join(" | ", services.Select(n => byService.TryGetValue(n, out var x) ? I($"{x.RssMb:0} / {x.Descriptors}") : "down"))} |"));
            }
            if (soak.FirstPartial is { } partial && soak.Final is { } final)
            {
                s.AppendLine();
                s.AppendLine(I($"Soak latency (ms): first partial min {partial.Min:N0}, p50 {partial.Median:N0}, p90 {partial.P90:N0}, p99 {partial.P99:N0}, max {partial.Max:N0} over {partial.Count:N0} calls; final min {final.Min:N0}, p50 {final.Median:N0}, p90 {final.P90:N0}, p99 {final.P99:N0}, max {final.Max:N0} over {final.Count:N0}; the last calls ended {soak.Elapsed.TotalSeconds:0} s after the start."));
            }
            foreach (var (kind, message) in soak.FirstErrors)
            {
                s.AppendLine();
                s.AppendLine(I($"First {kind}: {message}"));
            }
        }
        var failures = r.Failures;
        if (failures.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("Failures:");
            s.AppendLine();
            foreach (var group in failures.GroupBy(f => f[..f.IndexOf(':', StringComparison.Ordinal)]))
            {
                foreach (var failure in group.Take(FailuresShown))
                {
                    s.AppendLine(I($"- {failure}"));
                }
                if (group.Count() > FailuresShown)
                {
                    s.AppendLine(I($"- … and {group.Count() - FailuresShown} more {group.Key} failures (all in the JSON)"));
                }
            }
        }
        return s.ToString();
    }

    private const string NotRun = "not run";

    private static string Run(ReliabilityOptions o)
    {
        var suites = new List<string>();
        if (o.Suites.Contains("fuzz"))
        {
            suites.Add(I($"{o.Cases:N0} generated cases"));
        }
        if (o.Suites.Contains("faults"))
        {
            suites.Add(o.FastFaultsOnly ? "the fast faults" : "every fault");
        }
        if (o.Suites.Contains("soak"))
        {
            suites.Add(I($"a {o.SoakDuration.TotalMinutes:0.#}-minute soak at {o.SoakStreams} streams"));
        }
        var kind = o.Quick ? "`--quick`" : o.Suites.Count == 3 ? "full run" : "partial run";
        return I($"{kind} ({string.Join(", ", suites)})");
    }

    /// <summary>A count, or "—" with the suite's verdict while the suite's result does not expose it yet.</summary>
    private static string Count(int value) => I($"{value:N0}");

    private static void Row(StringBuilder s, string figure, string value) => s.AppendLine(I($"| {figure} | {value} |"));

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
