using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Grpc;

namespace Dashboard.Otlp;

/// <summary>OTLP/gRPC trace intake.</summary>
public sealed class OtlpTraceService(OtlpIngestor ingestor) : TraceServiceGrpc.TraceServiceBase
{
    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context) =>
        Task.FromResult(ingestor.Ingest(request));
}

/// <summary>OTLP/gRPC logs intake.</summary>
public sealed class OtlpLogsService(OtlpIngestor ingestor) : LogsServiceGrpc.LogsServiceBase
{
    public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context) =>
        Task.FromResult(ingestor.Ingest(request));
}

/// <summary>OTLP/gRPC metrics intake.</summary>
public sealed class OtlpMetricsService(OtlpIngestor ingestor) : MetricsServiceGrpc.MetricsServiceBase
{
    public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context) =>
        Task.FromResult(ingestor.Ingest(request));
}
