using Dashboard.Telemetry;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;
using ProtoSpan = OpenTelemetry.Proto.Trace.V1.Span;
using ProtoStatus = OpenTelemetry.Proto.Trace.V1.Status;

namespace Dashboard.Otlp;

/// <summary>Turns OTLP export requests into the store's records; items with invalid ids are rejected and counted.</summary>
internal static class OtlpConverter
{
    /// <summary>The <c>service.name</c> OpenTelemetry SDKs report when none is configured.</summary>
    public const string UnknownService = "unknown_service";

    public static (List<SpanData> Spans, int Rejected) Spans(ExportTraceServiceRequest request)
    {
        var spans = new List<SpanData>();
        var rejected = 0;
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var (service, instance) = Identify(resourceSpans.Resource);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                var scope = scopeSpans.Scope?.Name ?? "";
                foreach (var span in scopeSpans.Spans)
                {
                    if (Span(span, service, instance, scope) is { } data)
                    {
                        spans.Add(data);
                    }
                    else
                    {
                        rejected++;
                    }
                }
            }
        }
        return (spans, rejected);
    }

    public static List<LogData> Logs(ExportLogsServiceRequest request)
    {
        var records = new List<LogData>();
        foreach (var resourceLogs in request.ResourceLogs)
        {
            var (service, instance) = Identify(resourceLogs.Resource);
            foreach (var scopeLogs in resourceLogs.ScopeLogs)
            {
                var category = scopeLogs.Scope?.Name ?? "";
                records.AddRange(scopeLogs.LogRecords.Select(r => Log(r, service, instance, category)));
            }
        }
        return records;
    }

    public static List<(string Service, string? Instance, List<MetricData> Metrics)> Metrics(ExportMetricsServiceRequest request, DateTime now) =>
        [.. request.ResourceMetrics.Select(resourceMetrics =>
        {
            var (service, instance) = Identify(resourceMetrics.Resource);
            var metrics = resourceMetrics.ScopeMetrics.SelectMany(s => s.Metrics)
                .Select(m => new MetricData(m.Name, m.Description, m.Unit, MetricType(m), now))
                .ToList();
            return (service, instance, metrics);
        })];

    /// <summary><c>service.name</c> (else <see cref="UnknownService"/>) and <c>service.instance.id</c>.</summary>
    public static (string Service, string? Instance) Identify(Resource? resource) =>
        resource is null
            ? (UnknownService, null)
            : (OtlpValues.String(resource.Attributes, "service.name") is { Length: > 0 } name ? name : UnknownService,
               OtlpValues.String(resource.Attributes, "service.instance.id"));

    private static SpanData? Span(ProtoSpan span, string service, string? instance, string scope)
    {
        var traceId = OtlpValues.Id(span.TraceId, 16);
        var spanId = OtlpValues.Id(span.SpanId, 8);
        if (traceId is null || spanId is null)
        {
            return null;
        }
        var start = span.StartTimeUnixNano;
        return new SpanData(
            traceId,
            spanId,
            OtlpValues.Id(span.ParentSpanId, 8),
            service,
            instance,
            scope,
            span.Name,
            Kind(span.Kind),
            start,
            Math.Max(start, span.EndTimeUnixNano),
            Status(span.Status),
            string.IsNullOrEmpty(span.Status?.Message) ? null : span.Status.Message,
            OtlpValues.Attributes(span.Attributes),
            [.. span.Events.Select(e => new SpanEventData(e.Name, e.TimeUnixNano, OtlpValues.Attributes(e.Attributes)))],
            [.. span.Links
                .Where(l => OtlpValues.Id(l.TraceId, 16) is not null && OtlpValues.Id(l.SpanId, 8) is not null)
                .Select(l => new SpanLinkData(OtlpValues.Id(l.TraceId, 16)!, OtlpValues.Id(l.SpanId, 8)!, OtlpValues.Attributes(l.Attributes)))]);
    }

    private static LogData Log(LogRecord record, string service, string? instance, string category)
    {
        var time = record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano;
        var severity = (int)record.SeverityNumber;
        return new LogData(
            time != 0 ? OtlpValues.Time(time) : DateTime.UtcNow,
            service,
            instance,
            category,
            string.IsNullOrEmpty(record.SeverityText) ? SeverityName(severity) : record.SeverityText,
            severity,
            OtlpValues.Text(record.Body),
            OtlpValues.Attributes(record.Attributes),
            OtlpValues.Id(record.TraceId, 16),
            OtlpValues.Id(record.SpanId, 8),
            string.IsNullOrEmpty(record.EventName) ? null : record.EventName);
    }

    private static string Kind(ProtoSpan.Types.SpanKind kind) => kind switch
    {
        ProtoSpan.Types.SpanKind.Internal => "internal",
        ProtoSpan.Types.SpanKind.Server => "server",
        ProtoSpan.Types.SpanKind.Client => "client",
        ProtoSpan.Types.SpanKind.Producer => "producer",
        ProtoSpan.Types.SpanKind.Consumer => "consumer",
        _ => "unspecified",
    };

    private static string Status(ProtoStatus? status) => status?.Code switch
    {
        ProtoStatus.Types.StatusCode.Ok => SpanStatus.Ok,
        ProtoStatus.Types.StatusCode.Error => SpanStatus.Error,
        _ => SpanStatus.Unset,
    };

    /// <summary>The .NET level names for OTLP severity ranges (1-4 Trace … 21-24 Critical).</summary>
    private static string SeverityName(int severity) => severity switch
    {
        >= 21 => "Critical",
        >= 17 => "Error",
        >= 13 => "Warning",
        >= 9 => "Information",
        >= 5 => "Debug",
        >= 1 => "Trace",
        _ => "Unspecified",
    };

    private static string MetricType(Metric metric) => metric.DataCase switch
    {
        Metric.DataOneofCase.Gauge => "gauge",
        Metric.DataOneofCase.Sum => "sum",
        Metric.DataOneofCase.Histogram => "histogram",
        Metric.DataOneofCase.ExponentialHistogram => "exponentialHistogram",
        Metric.DataOneofCase.Summary => "summary",
        _ => "unknown",
    };
}
