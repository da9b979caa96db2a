using Dashboard.Otlp;
using Dashboard.Telemetry;
using Pipeline.Grpc;

namespace Dashboard;

/// <summary>Registration of the dashboard.</summary>
public static class DashboardExtensions
{
    /// <summary>
    /// ServiceDefaults (health, the AppHost watchdog) with OpenTelemetry off: the dashboard receives telemetry and never
    /// exports its own, even when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is inherited, which would send it to itself in a loop.
    /// </summary>
    public static WebApplicationBuilder AddDashboardServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddInMemoryCollection([new("OTEL_EXPORTER_OTLP_ENDPOINT", "")]);
        builder.AddServiceDefaults();
        return builder;
    }

    /// <summary>
    /// Adds validated <see cref="DashboardOptions"/> (throws <see cref="DashboardConfigurationException"/> listing every
    /// error), the bounded stores, the OTLP ingestor and services, and the gRPC receive limit.
    /// </summary>
    public static WebApplicationBuilder AddDashboardServices(this WebApplicationBuilder builder)
    {
        var options = DashboardOptions.Load(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<TraceStore>();
        services.AddSingleton<LogStore>();
        services.AddSingleton<MetricCatalog>();
        services.AddSingleton<ResourceRegistry>();
        services.AddSingleton<OtlpIngestor>();
        services.AddSingleton<OtlpTraceService>();
        services.AddSingleton<OtlpLogsService>();
        services.AddSingleton<OtlpMetricsService>();
        services.AddProblemDetails();
        services.AddGrpcServer(grpc => grpc.MaxReceiveMessageSize = options.MaxOtlpMessageBytes);
        return builder;
    }
}
