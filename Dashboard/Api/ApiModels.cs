using Dashboard.Telemetry;

namespace Dashboard.Api;

/// <summary><c>GET /api/resources</c> item.</summary>
/// <remarks>
/// <c>Source</c>: <c>apphost</c> (reported by the AppHost) or <c>telemetry</c> (seen only over OTLP; state is null).<br/>
/// <c>Instances</c>: The <c>service.instance.id</c>s seen over OTLP.<br/>
/// </remarks>
public sealed record ResourceView(
    string Name, string Type, string Source, string? State, string? Health, int? Pid, int? ExitCode, int Restarts,
    IReadOnlyList<ResourceEndpoint> Endpoints, IReadOnlyList<string> Instances);

/// <summary><c>GET /api/traces</c> item: one request across services.</summary>
/// <remarks>
/// <c>Name</c>: The root span's name (the earliest span whose parent is not in the trace).<br/>
/// <c>Service</c>: The root span's service.<br/>
/// <c>Status</c>: Error when any span failed, else the root span's status (Ok or Unset).<br/>
/// <c>Services</c>: Every service with a span in the trace, in order of first span start.<br/>
/// </remarks>
public sealed record TraceSummaryView(
    string TraceId, string RootSpanId, string Name, string Service, DateTime StartTime, double DurationMs, int SpanCount,
    int ErrorCount, string Status, IReadOnlyList<string> Services);

/// <summary><c>GET /api/traces/{traceId}</c>: the summary and every span, parents before children.</summary>
/// <remarks>
/// <c>DroppedSpans</c>: Spans refused because the trace reached the per-trace limit.<br/>
/// </remarks>
public sealed record TraceView(
    string TraceId, string RootSpanId, string Name, string Service, DateTime StartTime, double DurationMs, int SpanCount,
    int ErrorCount, string Status, IReadOnlyList<string> Services, int DroppedSpans, IReadOnlyList<SpanView> Spans);

/// <summary>One span of a trace view.</summary>
/// <remarks>
/// <c>ParentSpanId</c>: Null for a root span; may name a span not in the trace (a remote parent).<br/>
/// <c>Depth</c>: 0 for a root; a child is one deeper than its parent.<br/>
/// <c>OffsetMs</c>: Start, in ms after the trace's first span started.<br/>
/// </remarks>
public sealed record SpanView(
    string SpanId, string? ParentSpanId, int Depth, string Service, string? InstanceId, string Scope, string Name, string Kind,
    DateTime StartTime, DateTime EndTime, double OffsetMs, double DurationMs, SpanStatusView Status,
    IReadOnlyDictionary<string, object?> Attributes, IReadOnlyList<SpanEventView> Events, IReadOnlyList<SpanLinkData> Links);

/// <summary>A span's status: Unset, Ok or Error, with the error description.</summary>
public sealed record SpanStatusView(string Code, string? Message);

/// <summary>An event of a span, with its offset from the trace start.</summary>
public sealed record SpanEventView(string Name, DateTime Time, double OffsetMs, IReadOnlyDictionary<string, object?> Attributes);

/// <summary><c>GET /api/logs/{resource}</c>: console lines and structured records, each oldest first.</summary>
public sealed record LogsView(string Resource, IReadOnlyList<ConsoleLineData> Console, IReadOnlyList<LogData> Structured);

/// <summary><c>POST /api/resources</c> item: one resource's state, as the AppHost reports it.</summary>
public sealed record ResourceUpdate(
    string? Name, string? Type, string? State, string? Health, int? Pid, int? ExitCode, int Restarts, IReadOnlyList<ResourceEndpoint>? Endpoints);

/// <summary><c>POST /api/console</c> item: one line a resource wrote.</summary>
/// <remarks>
/// <c>Timestamp</c>: When the AppHost read it; now when omitted.<br/>
/// </remarks>
public sealed record ConsoleLineUpdate(string? Resource, DateTime? Timestamp, string? Text);
