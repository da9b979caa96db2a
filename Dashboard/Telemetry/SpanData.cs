namespace Dashboard.Telemetry;

/// <summary>One span as the dashboard keeps it: ids in lower-case hex, times in Unix epoch nanoseconds.</summary>
/// <remarks>
/// <c>ParentSpanId</c>: Null for a root span.<br/>
/// <c>Kind</c>: internal, server, client, producer, consumer or unspecified.<br/>
/// <c>StatusCode</c>: Unset, Ok or Error.<br/>
/// </remarks>
public sealed record SpanData(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Service,
    string? InstanceId,
    string Scope,
    string Name,
    string Kind,
    ulong StartUnixNano,
    ulong EndUnixNano,
    string StatusCode,
    string? StatusMessage,
    IReadOnlyDictionary<string, object?> Attributes,
    IReadOnlyList<SpanEventData> Events,
    IReadOnlyList<SpanLinkData> Links)
{
    public bool IsError => StatusCode == SpanStatus.Error;
}

/// <summary>Something that happened during a span (e.g. <c>exception</c> with <c>exception.*</c> attributes).</summary>
public sealed record SpanEventData(string Name, ulong TimeUnixNano, IReadOnlyDictionary<string, object?> Attributes);

/// <summary>A link from a span to a span of this or another trace.</summary>
public sealed record SpanLinkData(string TraceId, string SpanId, IReadOnlyDictionary<string, object?> Attributes);

/// <summary>Span status names, as OTLP's <c>Status.StatusCode</c> without the prefix.</summary>
public static class SpanStatus
{
    public const string Unset = nameof(Unset);
    public const string Ok = nameof(Ok);
    public const string Error = nameof(Error);
}

/// <summary>A copy of one trace's spans, taken under the store's lock.</summary>
/// <remarks>
/// <c>DroppedSpans</c>: Spans refused because the trace was full (<see cref="DashboardOptions.MaxSpansPerTrace"/>).<br/>
/// </remarks>
public sealed record TraceSnapshot(string TraceId, IReadOnlyList<SpanData> Spans, int DroppedSpans);
