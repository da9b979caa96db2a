using OpenTelemetry.Proto.Collector.Logs.V1;
using Pipeline.Grpc;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Dashboard.Otlp;

/// <summary>The method and server base class of <c>opentelemetry.proto.collector.logs.v1.LogsService</c> (see logs_service.proto).</summary>
public static class LogsServiceGrpc
{
    /// <summary>The service descriptor.</summary>
    public static ServiceDescriptor Descriptor => LogsServiceReflection.Descriptor.Services[0];

    public static readonly Method<ExportLogsServiceRequest, ExportLogsServiceResponse> Export =
        Method<ExportLogsServiceRequest, ExportLogsServiceResponse>.From(Descriptor, nameof(Export));

    /// <summary>Binds Export to <typeparamref name="T"/>'s override.</summary>
    public static GrpcServiceDefinition<T> BindService<T>() where T : LogsServiceBase =>
        new GrpcServiceDefinition<T>(Descriptor).Unary(Export, (s, r, c) => s.Export(r, c));

    /// <summary>Server side: override Export.</summary>
    public abstract class LogsServiceBase
    {
        public virtual Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context) =>
            throw new RpcException(new Status(StatusCode.Unimplemented, "Method is unimplemented."));
    }
}
