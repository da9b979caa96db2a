using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.ServiceDefaults.Grpc;

namespace Microsoft.Extensions.Hosting;

/// <summary>The gRPC server every Pipeline service runs: Grpc.AspNetCore, one exception interceptor, health, reflection.</summary>
public static class GrpcServiceDefaultsExtensions
{
    /// <summary>
    /// Adds Grpc.AspNetCore with <see cref="RpcExceptionInterceptor"/>, <c>grpc.health.v1</c> driven by the same
    /// health checks as <c>/health</c>, and server reflection. Message size limits stay at grpc-dotnet's defaults
    /// (4 MiB in, unlimited out) until the service sets its own with <c>AddGrpc(o => o.MaxReceiveMessageSize = …)</c>.
    /// </summary>
    public static IGrpcServerBuilder AddGrpcServiceDefaults(this IServiceCollection services)
    {
        var grpc = services.AddGrpc(options => options.Interceptors.Add<RpcExceptionInterceptor>());
        services.AddGrpcHealthChecks();
        services.AddGrpcReflection();
        return grpc;
    }

    /// <summary>Registers a service's mapping from its own exceptions to rich statuses (see <see cref="RpcExceptionInterceptor"/>).</summary>
    public static IServiceCollection AddRpcExceptionMapper(this IServiceCollection services, Func<Exception, Google.Rpc.Status?> map) =>
        services.AddSingleton(new RpcExceptionMapper(map));

    /// <summary>
    /// Maps <c>grpc.health.v1.Health</c> and gRPC server reflection, and makes each service's
    /// <c>MaxReceiveMessageSize</c> the only limit on a gRPC request's size.
    /// </summary>
    public static WebApplication MapGrpcServiceDefaults(this WebApplication app)
    {
        // grpc-dotnet lifts Kestrel's 30 MB request body limit for client- and duplex-streaming methods only; a unary or
        // server-streaming request (an edit with its input images) above 30 MB would fail in Kestrel as UNKNOWN before
        // the service's own message limit answers RESOURCE_EXHAUSTED.
        app.Use((context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null
                && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            {
                bodyLimit.MaxRequestBodySize = null;
            }
            return next(context);
        });
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
