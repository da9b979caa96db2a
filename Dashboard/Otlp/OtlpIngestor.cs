using Dashboard.Telemetry;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Dashboard.Otlp;

/// <summary>Stores what an OTLP export carries, for both transports; the answer reports rejected items as partial success.</summary>
public sealed class OtlpIngestor(TraceStore traces, LogStore logs, MetricCatalog metrics, ResourceRegistry resources, TimeProvider time, ILogger<OtlpIngestor> logger)
{
    public ExportTraceServiceResponse Ingest(ExportTraceServiceRequest request)
    {
        var (spans, invalid) = OtlpConverter.Spans(request);
        foreach (var resourceSpans in request.ResourceSpans)
        {
            Seen(OtlpConverter.Identify(resourceSpans.Resource));
        }
        var full = traces.Add(spans);
        var response = new ExportTraceServiceResponse();
        if (invalid + full > 0)
        {
            var message = Rejection(invalid, "spans without a valid 16-byte trace id and 8-byte span id", full, "spans of traces over the span limit");
            DashboardLog.SpansRejected(logger, invalid + full, message);
            response.PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = invalid + full, ErrorMessage = message };
        }
        return response;
    }

    public ExportLogsServiceResponse Ingest(ExportLogsServiceRequest request)
    {
        var records = OtlpConverter.Logs(request);
        foreach (var resourceLogs in request.ResourceLogs)
        {
            Seen(OtlpConverter.Identify(resourceLogs.Resource));
        }
        logs.AddStructured(records);
        return new ExportLogsServiceResponse();
    }

    public ExportMetricsServiceResponse Ingest(ExportMetricsServiceRequest request)
    {
        foreach (var (service, instance, found) in OtlpConverter.Metrics(request, time.GetUtcNow().UtcDateTime))
        {
            Seen((service, instance));
            metrics.Add(service, found);
        }
        return new ExportMetricsServiceResponse();
    }

    private void Seen((string Service, string? Instance) identity) => resources.Seen(identity.Service, identity.Instance);

    private static string Rejection(int first, string firstReason, int second, string secondReason) =>
        string.Join("; ", new[] { (first, firstReason), (second, secondReason) }.Where(r => r.Item1 > 0).Select(r => $"{r.Item1} {r.Item2}"));
}
