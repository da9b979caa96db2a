using System.Globalization;

namespace AppHost.Hosting;

/// <summary>The fleet's dashboard as a resource (Aspire starts its dashboard the same way, before everything else).</summary>
public static class DashboardBuilderExtensions
{
    /// <summary>The dashboard's UI and JSON API endpoint (HTTP/1.1).</summary>
    public const string HttpEndpoint = "http";

    /// <summary>The dashboard's OTLP/gRPC endpoint (HTTP/2 only).</summary>
    public const string OtlpGrpcEndpoint = "otlp-grpc";

    /// <summary>The dashboard's OTLP/HTTP endpoint (HTTP/1.1).</summary>
    public const string OtlpHttpEndpoint = "otlp-http";

    /// <summary>
    /// Adds the dashboard (project <paramref name="projectDirectory"/>) on Aspire's ports: UI <c>Dashboard:HttpPort</c>
    /// (default 18888, also <c>--dashboard-port</c>), OTLP/gRPC <c>Dashboard:OtlpGrpcPort</c> (18889), OTLP/HTTP
    /// <c>Dashboard:OtlpHttpPort</c> (18890), all on 127.0.0.1. Call it first: every other resource starts once it is
    /// healthy (or has failed), gets <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> pointing at it, and the AppHost pushes resource
    /// states and console lines to it. Returns null, adding nothing, when an external OTLP endpoint is configured
    /// (<c>--otlp-endpoint</c> / <c>PIPELINE_OTLP_ENDPOINT</c>) or <see cref="DistributedApplicationOptions.DisableDashboard"/> is set.
    /// </summary>
    public static IResourceBuilder<ProjectResource>? AddDashboard(this DistributedApplicationBuilder builder, string projectDirectory = "Dashboard")
    {
        if (builder.Options.OtlpEndpoint is { } external)
        {
            builder.StartupMessages.Add($"telemetry goes to {external} (OTLP {builder.Options.OtlpProtocol}); no dashboard started");
            return null;
        }
        if (builder.Options.DisableDashboard)
        {
            return null;
        }
        var configuration = builder.Configuration;
        var dashboard = builder.AddProject("dashboard", projectDirectory)
            .WithHttpHealthCheck("/health")
            .WithEndpoint(HttpEndpoint, e => e.Port = Port(configuration["Dashboard:HttpPort"], 18888))
            .WithEndpoint(OtlpGrpcEndpoint, e =>
            {
                e.Port = Port(configuration["Dashboard:OtlpGrpcPort"], 18889);
                e.Transport = "http2";
            })
            .WithEndpoint(OtlpHttpEndpoint, e => e.Port = Port(configuration["Dashboard:OtlpHttpPort"], 18890));
        builder.Dashboard = dashboard.Resource;
        return dashboard;
    }

    private static int Port(string? configured, int fallback) =>
        configured is null ? fallback : int.Parse(configured, NumberStyles.None, CultureInfo.InvariantCulture);
}
