using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pipeline.Grpc;
using Pipeline.ServiceDefaults;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The service defaults every Pipeline service calls (the shape of Aspire's ServiceDefaults template):
/// OpenTelemetry, health checks, service discovery over <c>services__{name}__{endpoint}__{i}</c>, and the gRPC server.
/// </summary>
public static class Extensions
{
    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";

    /// <summary>Adds OpenTelemetry (when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), health checks, service discovery and the gRPC server.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddSingleton<ServiceEndpointResolver>();
        builder.Services.AddSingleton<GrpcChannelFactory>();
        builder.Services.AddGrpcServer();
        return builder;
    }

    /// <summary>Adds the "self" liveness check.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (every check), <c>/alive</c> (checks tagged "live"), <c>grpc.health.v1.Health</c> and gRPC reflection.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") });
        app.MapGrpcHealthService();
        app.MapGrpcReflectionService();
        return app;
    }
}
