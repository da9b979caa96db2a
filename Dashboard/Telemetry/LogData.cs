namespace Dashboard.Telemetry;

/// <summary>One structured log record received over OTLP.</summary>
/// <remarks>
/// <c>Category</c>: The instrumentation scope: for .NET, the logger category.<br/>
/// <c>Severity</c>: The source's level name, else one derived from <paramref name="SeverityNumber"/> (Trace … Critical).<br/>
/// <c>SeverityNumber</c>: OTLP severity, 1-24 (0 = unspecified).<br/>
/// </remarks>
public sealed record LogData(
    DateTime Timestamp,
    string Service,
    string? InstanceId,
    string Category,
    string Severity,
    int SeverityNumber,
    string Message,
    IReadOnlyDictionary<string, object?> Attributes,
    string? TraceId,
    string? SpanId,
    string? EventName);

/// <summary>One line a resource wrote to stdout or stderr, as the AppHost saw it.</summary>
public sealed record ConsoleLineData(DateTime Timestamp, string Text);

/// <summary>An instrument a resource reports (the dashboard keeps names, not points).</summary>
/// <remarks>
/// <c>Type</c>: gauge, sum, histogram, exponentialHistogram, summary or unknown.<br/>
/// </remarks>
public sealed record MetricData(string Name, string Description, string Unit, string Type, DateTime LastSeen);
