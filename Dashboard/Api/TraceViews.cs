using Dashboard.Telemetry;

namespace Dashboard.Api;

/// <summary>Builds the trace summaries and waterfalls the API returns from the store's snapshots.</summary>
internal static class TraceViews
{
    public static TraceSummaryView Summary(TraceSnapshot trace)
    {
        var shape = Shape.Of(trace);
        return new TraceSummaryView(trace.TraceId, shape.Root.SpanId, shape.Root.Name, shape.Root.Service, OtlpTime(shape.Start),
            Milliseconds(shape.End - shape.Start), trace.Spans.Count, shape.Errors, shape.Status, shape.Services);
    }

    public static TraceView Detail(TraceSnapshot trace)
    {
        var shape = Shape.Of(trace);
        var ordered = new List<SpanView>(trace.Spans.Count);
        var children = trace.Spans.Where(s => s.ParentSpanId is not null).ToLookup(s => s.ParentSpanId!);
        var ids = trace.Spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var roots = trace.Spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId)).OrderBy(s => s.StartUnixNano);
        var stack = new Stack<(SpanData Span, int Depth)>(roots.Reverse().Select(s => (s, 0)));
        while (stack.TryPop(out var item))
        {
            ordered.Add(View(item.Span, item.Depth, shape.Start));
            foreach (var child in children[item.Span.SpanId].OrderByDescending(s => s.StartUnixNano))
            {
                stack.Push((child, item.Depth + 1));
            }
        }
        return new TraceView(trace.TraceId, shape.Root.SpanId, shape.Root.Name, shape.Root.Service, OtlpTime(shape.Start),
            Milliseconds(shape.End - shape.Start), trace.Spans.Count, shape.Errors, shape.Status, shape.Services, trace.DroppedSpans, ordered);
    }

    private static SpanView View(SpanData span, int depth, ulong traceStart) => new(
        span.SpanId, span.ParentSpanId, depth, span.Service, span.InstanceId, span.Scope, span.Name, span.Kind,
        OtlpTime(span.StartUnixNano), OtlpTime(span.EndUnixNano), Offset(span.StartUnixNano, traceStart),
        Milliseconds(span.EndUnixNano - span.StartUnixNano), new SpanStatusView(span.StatusCode, span.StatusMessage), span.Attributes,
        [.. span.Events.Select(e => new SpanEventView(e.Name, OtlpTime(e.TimeUnixNano), Offset(e.TimeUnixNano, traceStart), e.Attributes))],
        span.Links);

    private static DateTime OtlpTime(ulong unixNano) => Otlp.OtlpValues.Time(unixNano);

    private static double Milliseconds(ulong nanoseconds) => nanoseconds / 1_000_000.0;

    private static double Offset(ulong time, ulong start) => time >= start ? Milliseconds(time - start) : -Milliseconds(start - time);

    /// <summary>What the summary and the detail share: root, bounds, errors, services.</summary>
    private sealed record Shape(SpanData Root, ulong Start, ulong End, int Errors, string Status, IReadOnlyList<string> Services)
    {
        public static Shape Of(TraceSnapshot trace)
        {
            var ids = trace.Spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
            var byStart = trace.Spans.OrderBy(s => s.StartUnixNano).ToList();
            var root = byStart.FirstOrDefault(s => s.ParentSpanId is null) ?? byStart.FirstOrDefault(s => !ids.Contains(s.ParentSpanId!)) ?? byStart[0];
            var errors = trace.Spans.Count(s => s.IsError);
            return new Shape(
                root,
                byStart[0].StartUnixNano,
                trace.Spans.Max(s => s.EndUnixNano),
                errors,
                errors > 0 ? SpanStatus.Error : root.StatusCode,
                [.. byStart.Select(s => s.Service).Distinct(StringComparer.Ordinal)]);
        }
    }
}
