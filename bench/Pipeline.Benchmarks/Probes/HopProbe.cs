using System.Diagnostics;

namespace Pipeline.Benchmarks.Probes;

/// <summary>
/// Where a generation's added milliseconds go, from the traces the services send the Aspire dashboard: sequential traced
/// requests (the benchmark is the trace's parent), then, per trace, its time line shared out among its spans (see
/// <see cref="Attribute"/>) under one label each: a service's server and internal spans under its name ("router"), a client
/// span under its hop ("router → storage": serialization, the wire and the callee's framework outside its span). What the
/// client measured beyond the gateway's span is "client ↔ gateway" (connection, proxy if any, reading the body).
/// </summary>
public sealed class HopProbe(HttpClient http, string size, DashboardTelemetry telemetry)
{
    /// <summary>The label of what lies between the client and the gateway's first span.</summary>
    public const string ClientToGateway = "client ↔ gateway";

    public async Task<HopBreakdown> MeasureAsync(BenchmarkTarget target, int requests, CancellationToken cancellationToken)
    {
        var sent = new List<(string TraceId, string SpanId, double Ms)>(requests);
        for (var i = 0; i < requests; i++)
        {
            var traceId = ActivityTraceId.CreateRandom().ToHexString();
            var spanId = ActivitySpanId.CreateRandom().ToHexString();
            using var request = target.CreateGeneration(size);
            request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{spanId}-01");
            var watch = Stopwatch.StartNew();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            _ = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            response.EnsureSuccessStatusCode();
            sent.Add((traceId, spanId, watch.Elapsed.TotalMilliseconds));
        }

        var perTrace = new List<IReadOnlyDictionary<string, double>>(requests);
        foreach (var (traceId, spanId, ms) in sent)
        {
            // Complete once the gateway's root span (the last to end) and storage's put have arrived and every span's parent is in.
            var spans = await telemetry.WaitForTraceAsync(traceId,
                s => s.Any(span => span.ParentSpanId == spanId) && s.Any(span => span.Service == "storage" && span.Name.EndsWith("/PutImage", StringComparison.Ordinal))
                    && s.All(span => span.ParentSpanId == spanId || s.Any(parent => parent.SpanId == span.ParentSpanId)),
                cancellationToken);
            perTrace.Add(Attribute(spans, spanId, ms));
        }
        return HopBreakdown.Of(perTrace);
    }

    /// <summary>
    /// One trace's milliseconds by label; <paramref name="callerSpanId"/> is the client's span, parent of the gateway's. The
    /// trace's time line is cut at every span's start and end, and each piece goes to the span that started last among those
    /// running then: the innermost work, and of two calls that overlap (a streamed call still open while its final image is
    /// stored) the later one. So the pieces add up to the gateway's span, and nothing is counted twice.
    /// </summary>
    public static IReadOnlyDictionary<string, double> Attribute(IReadOnlyList<TelemetrySpan> spans, string callerSpanId, double clientMs)
    {
        var children = spans.ToLookup(s => s.ParentSpanId);
        var ends = new Dictionary<string, long>(StringComparer.Ordinal);
        // A span runs until its last descendant ends: a streamed call's client span ends with the response headers, but the
        // call lasts until the callee's server span ends.
        long End(TelemetrySpan span)
        {
            if (!ends.TryGetValue(span.SpanId, out var end))
            {
                end = children[span.SpanId].Select(End).Append(span.EndNanos).Max();
                ends[span.SpanId] = end;
            }
            return end;
        }

        var hops = new Dictionary<string, double>(StringComparer.Ordinal);
        void Add(string label, double ms) => hops[label] = hops.GetValueOrDefault(label) + Math.Max(0, ms);
        var roots = spans.Where(s => s.ParentSpanId == callerSpanId).ToList();
        Add(ClientToGateway, clientMs - roots.Sum(r => (End(r) - r.StartNanos) / 1e6));
        var cuts = spans.SelectMany(s => new[] { s.StartNanos, End(s) }).Distinct().Order().ToList();
        for (var i = 0; i + 1 < cuts.Count; i++)
        {
            var running = spans.Where(s => s.StartNanos <= cuts[i] && End(s) >= cuts[i + 1]).MaxBy(s => s.StartNanos);
            if (running is not null)
            {
                Add(Label(running, children), (cuts[i + 1] - cuts[i]) / 1e6);
            }
        }
        return hops;
    }

    /// <summary>
    /// A server or internal span: its service. A client span (grpc-dotnet's call span, or the HttpClient span under it): the
    /// hop to the service whose server span is below it, else (a call out of the fleet, e.g. to the provider) the host it
    /// called, else the client span's own name.
    /// </summary>
    private static string Label(TelemetrySpan span, ILookup<string, TelemetrySpan> children)
    {
        if (!span.IsClient)
        {
            return span.Service;
        }
        for (var below = children[span.SpanId].ToList(); below.Count > 0; below = [.. below.Where(c => c.IsClient).SelectMany(c => children[c.SpanId])])
        {
            if (below.FirstOrDefault(c => c.IsServer) is { } server)
            {
                return $"{span.Service} → {server.Service}";
            }
        }
        return span.Attribute("server.address") is { } host ? $"{span.Service} → {host} (outside the fleet)" : $"{span.Service}: {span.Name}";
    }
}

/// <summary>Mean (these add up), median and p90 milliseconds per label over the traced requests, largest mean first.</summary>
public sealed record HopBreakdown(int Traces, IReadOnlyList<HopFigure> Hops)
{
    public static HopBreakdown Of(IReadOnlyList<IReadOnlyDictionary<string, double>> traces)
    {
        var labels = traces.SelectMany(t => t.Keys).Distinct(StringComparer.Ordinal);
        var hops = labels.Select(label =>
        {
            var samples = traces.Select(t => t.GetValueOrDefault(label) / 1000).ToList();
            var d = Distribution.FromSeconds(samples);
            return new HopFigure(label, samples.Average() * 1000, d.Median, d.P90);
        });
        return new HopBreakdown(traces.Count, [.. hops.OrderByDescending(h => h.MeanMs)]);
    }
}

/// <summary>One label's share of a generation.</summary>
public sealed record HopFigure(string Label, double MeanMs, double MedianMs, double P90Ms);
