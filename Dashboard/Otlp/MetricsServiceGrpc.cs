using OpenTelemetry.Proto.Collector.Metrics.V1;
using Pipeline.Grpc;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Dashboard.Otlp;

/// <summary>The method and server base class of <c>opentelemetry.proto.collector.metrics.v1.MetricsService</c> (see metrics_service.proto).</summary>
public static class MetricsServiceGrpc
{
    /// <summary>The service descriptor.</summary>
    public static ServiceDescriptor Descriptor => MetricsServiceReflection.Descriptor.Services[0];

    public static readonly Method<ExportMetricsServiceRequest, ExportMetricsServiceResponse> Export =
        Method<ExportMetricsServiceRequest, ExportMetricsServiceResponse>.From(Descriptor, nameof(Export));

    /// <summary>Binds Export to <typeparamref name="T"/>'s override.</summary>
    public static GrpcServiceDefinition<T> BindService<T>() where T : MetricsServiceBase =>
        new GrpcServiceDefinition<T>(Descriptor).Unary(Export, (s, r, c) => s.Export(r, c));

    /// <summary>Server side: override Export.</summary>
    public abstract class MetricsServiceBase
    {
        public virtual Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context) =>
            throw new RpcException(new Status(StatusCode.Unimplemented, "Method is unimplemented."));
    }
}
