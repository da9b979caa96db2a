using Grpc.AspNetCore.Server;
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

    /// <summary>Maps <c>grpc.health.v1.Health</c> and gRPC server reflection.</summary>
    public static WebApplication MapGrpcServiceDefaults(this WebApplication app)
    {
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
