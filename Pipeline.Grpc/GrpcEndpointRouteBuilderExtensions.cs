using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Pipeline.Grpc.Health;
using Pipeline.Grpc.Internal;
using Pipeline.Grpc.Reflection;

namespace Pipeline.Grpc;

/// <summary>Registers and maps gRPC services on ASP.NET Core.</summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Adds the gRPC server: options, the service registry, health and reflection. Serve gRPC from a Kestrel endpoint
    /// with <c>Protocols = Http2</c> (cleartext HTTP/2 needs an HTTP/2-only endpoint).
    /// </summary>
    public static IServiceCollection AddGrpcServer(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        var builder = services.AddOptions<GrpcServerOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }
        services.TryAddSingleton<GrpcServiceRegistry>();
        services.TryAddSingleton<GrpcHealthService>();
        services.TryAddSingleton<GrpcReflectionService>();
        return services;
    }

    /// <summary>
    /// Maps every method bound in <paramref name="definition"/>. The first call also maps a fallback answering
    /// UNIMPLEMENTED for gRPC calls to paths no service serves.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcService<TService>(this IEndpointRouteBuilder endpoints, GrpcServiceDefinition<TService> definition)
        where TService : class
    {
        var registry = endpoints.ServiceProvider.GetService<GrpcServiceRegistry>()
            ?? throw new InvalidOperationException("Call services.AddGrpcServer() before mapping gRPC services.");
        registry.Add(definition.Descriptor);
        var builders = new List<IEndpointConventionBuilder>();
        foreach (var binding in definition.Bindings)
        {
            builders.Add(endpoints.MapPost(binding.Path, binding.HandleAsync).WithDisplayName($"gRPC {binding.Path}"));
        }
        if (!registry.UnimplementedMapped)
        {
            registry.UnimplementedMapped = true;
            endpoints.MapPost("/{service}/{method}", HandleUnimplementedAsync).WithDisplayName("gRPC unimplemented").WithOrder(int.MaxValue);
        }
        return new CompositeConventionBuilder(builders);
    }

    /// <summary>Maps <c>grpc.health.v1.Health</c> (Check and Watch), backed by the application's health checks.</summary>
    public static IEndpointConventionBuilder MapGrpcHealthService(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGrpcService(GrpcHealthService.Definition);

    /// <summary>Maps <c>grpc.reflection.v1.ServerReflection</c> so generic tools can list services and read their descriptors.</summary>
    public static IEndpointConventionBuilder MapGrpcReflectionService(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGrpcService(GrpcReflectionService.Definition);

    private static Task HandleUnimplementedAsync(HttpContext httpContext)
    {
        if (!GrpcProtocol.IsGrpcContentType(httpContext.Request.ContentType))
        {
            httpContext.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        if (!ServerProtocol.ValidateRequest(httpContext))
        {
            return Task.CompletedTask;
        }
        var registry = httpContext.RequestServices.GetRequiredService<GrpcServiceRegistry>();
        var service = (string?)httpContext.Request.RouteValues["service"] ?? "";
        var logger = httpContext.RequestServices.GetRequiredService<ILogger<GrpcServiceRegistry>>();
        GrpcServerLog.Unimplemented(logger, httpContext.Request.Path);
        var detail = registry.Contains(service) ? "Method is unimplemented." : "Service is unimplemented.";
        ServerProtocol.WriteStatus(httpContext, new Status(StatusCode.Unimplemented, detail), null, null);
        return Task.CompletedTask;
    }

    private sealed class CompositeConventionBuilder(IReadOnlyList<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var builder in builders)
            {
                builder.Add(convention);
            }
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            foreach (var builder in builders)
            {
                builder.Finally(finallyConvention);
            }
        }
    }
}
