using OpenTelemetry.Proto.Collector.Trace.V1;
using Pipeline.Grpc;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Dashboard.Otlp;

/// <summary>The method and server base class of <c>opentelemetry.proto.collector.trace.v1.TraceService</c> (see trace_service.proto).</summary>
public static class TraceServiceGrpc
{
    /// <summary>The service descriptor.</summary>
    public static ServiceDescriptor Descriptor => TraceServiceReflection.Descriptor.Services[0];

    public static readonly Method<ExportTraceServiceRequest, ExportTraceServiceResponse> Export =
        Method<ExportTraceServiceRequest, ExportTraceServiceResponse>.From(Descriptor, nameof(Export));

    /// <summary>Binds Export to <typeparamref name="T"/>'s override.</summary>
    public static GrpcServiceDefinition<T> BindService<T>() where T : TraceServiceBase =>
        new GrpcServiceDefinition<T>(Descriptor).Unary(Export, (s, r, c) => s.Export(r, c));

    /// <summary>Server side: override Export.</summary>
    public abstract class TraceServiceBase
    {
        public virtual Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context) =>
            throw new RpcException(new Status(StatusCode.Unimplemented, "Method is unimplemented."));
    }
}
