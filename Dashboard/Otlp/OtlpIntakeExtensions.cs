using Pipeline.Grpc;

namespace Dashboard.Otlp;

/// <summary>Maps the OTLP intake: the three collector services over gRPC and their OTLP/HTTP routes.</summary>
public static class OtlpIntakeExtensions
{
    /// <summary>
    /// gRPC <c>opentelemetry.proto.collector.{trace,logs,metrics}.v1.*Service/Export</c> (served on the HTTP/2 endpoint
    /// <c>otlp-grpc</c>) and <c>POST /v1/traces|logs|metrics</c> (on HTTP/1.1, meant for <c>otlp-http</c>).
    /// </summary>
    public static WebApplication MapOtlpIntake(this WebApplication app)
    {
        app.MapGrpcService(TraceServiceGrpc.BindService<OtlpTraceService>());
        app.MapGrpcService(LogsServiceGrpc.BindService<OtlpLogsService>());
        app.MapGrpcService(MetricsServiceGrpc.BindService<OtlpMetricsService>());
        app.MapOtlpHttp();
        return app;
    }
}
