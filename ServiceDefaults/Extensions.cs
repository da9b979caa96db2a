using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The service defaults every Pipeline service calls (the shape of Aspire's ServiceDefaults template):
/// OpenTelemetry, health checks, service discovery on every HttpClient (gRPC clients included), and the gRPC server.
/// </summary>
public static class Extensions
{
    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";

    /// <summary>Adds OpenTelemetry (exported when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), health checks, service discovery and the gRPC server.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        // Addresses from configuration (services__{name}__{endpoint}__{i}, set by the AppHost); other hosts, such as a
        // provider's URL, pass through. Typed gRPC clients refuse a service with no configured address
        // (AddServiceGrpcClient), so a missing reference never falls through to DNS.
        builder.Services.AddServiceDiscovery();
        // No standard resilience handler: its 30 s total timeout and POST retries break minute-long streams and would
        // pay for an image twice. Provider calls retry before their first frame only (Pipeline.Providers).
        builder.Services.ConfigureHttpClientDefaults(http => http.AddServiceDiscovery());
        builder.Services.AddGrpcServiceDefaults();
        builder.Services.AddUnhandledExceptionProblemDetails();
        builder.Services.AddInternalSecret();
        return builder;
    }

    /// <summary>Adds the "self" liveness check.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (every check), <c>/alive</c> (checks tagged "live"), <c>grpc.health.v1.Health</c> and gRPC reflection;
    /// with <c>Pipeline:InternalSecret</c> set, every other request must carry it (<see cref="InternalSecretExtensions.UseInternalSecret"/>).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseInternalSecret(HealthEndpointPath, AlivenessEndpointPath);
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") });
        app.MapGrpcServiceDefaults();
        return app;
    }
}
