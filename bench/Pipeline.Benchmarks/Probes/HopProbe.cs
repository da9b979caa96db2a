using System.Diagnostics;

namespace Pipeline.Benchmarks.Probes;

/// <summary>
/// Where a generation's added milliseconds go, from the traces the services send the Aspire dashboard: sequential traced
/// requests (the benchmark is the trace's parent), then, per trace, every span's own time (its duration less its
/// children's, a span lasting until its last descendant ends) under one label: a service's server and internal spans under
/// its name ("router"), a client span under its hop ("router → storage": serialization, the wire and the callee's framework
/// outside its span). What the client measured beyond the gateway's span is "client ↔ gateway" (connection, DCP's proxy,
/// reading the body).
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

    /// <summary>One trace's milliseconds by label; <paramref name="callerSpanId"/> is the client's span, parent of the gateway's.</summary>
    public static IReadOnlyDictionary<string, double> Attribute(IReadOnlyList<TelemetrySpan> spans, string callerSpanId, double clientMs)
    {
        var children = spans.ToLookup(s => s.ParentSpanId);
        var ends = new Dictionary<string, long>(StringComparer.Ordinal);
        // A span's extent runs to the last end among it and its descendants: a streamed call's client span ends with the
        // response headers, but the call lasts until the callee's server span ends.
        long End(TelemetrySpan span)
        {
            if (!ends.TryGetValue(span.SpanId, out var end))
            {
                end = children[span.SpanId].Select(End).Append(span.EndNanos).Max();
                ends[span.SpanId] = end;
            }
            return end;
        }
        double Extent(TelemetrySpan span) => (End(span) - span.StartNanos) / 1e6;

        var hops = new Dictionary<string, double>(StringComparer.Ordinal);
        void Add(string label, double ms) => hops[label] = hops.GetValueOrDefault(label) + Math.Max(0, ms);
        Add(ClientToGateway, clientMs - spans.Where(s => s.ParentSpanId == callerSpanId).Sum(Extent));
        foreach (var span in spans)
        {
            Add(Label(span, children), Extent(span) - children[span.SpanId].Sum(Extent));
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

/// <summary>Median and p90 milliseconds per label over the traced requests, largest median first.</summary>
public sealed record HopBreakdown(int Traces, IReadOnlyList<HopFigure> Hops)
{
    public static HopBreakdown Of(IReadOnlyList<IReadOnlyDictionary<string, double>> traces)
    {
        var labels = traces.SelectMany(t => t.Keys).Distinct(StringComparer.Ordinal);
        var hops = labels.Select(label =>
        {
            var samples = traces.Select(t => t.GetValueOrDefault(label) / 1000).ToList();
            var d = Distribution.FromSeconds(samples);
            return new HopFigure(label, d.Median, d.P90);
        });
        return new HopBreakdown(traces.Count, [.. hops.OrderByDescending(h => h.MedianMs)]);
    }
}

/// <summary>One label's share of a generation.</summary>
public sealed record HopFigure(string Label, double MedianMs, double P90Ms);
