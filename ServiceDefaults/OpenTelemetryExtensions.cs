using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Pipeline.ServiceDefaults.Telemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// OpenTelemetry in the shape of Aspire's ServiceDefaults template: logs, metrics (ASP.NET Core, HttpClient, runtime) and
/// traces (ASP.NET Core without health probes, HttpClient, <c>Pipeline.*</c> and the app's own sources), exported over
/// OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. The resource (<c>service.name</c>, <c>service.instance.id</c>)
/// comes from <c>OTEL_SERVICE_NAME</c> / <c>OTEL_RESOURCE_ATTRIBUTES</c>, which the AppHost sets per replica.
/// </summary>
public static class OpenTelemetryExtensions
{
    /// <summary>Every ActivitySource whose name starts with this is traced (e.g. <c>Pipeline.Providers</c>, <c>Pipeline.Router</c>).</summary>
    public const string PipelineActivitySources = "Pipeline.*";

    /// <summary>
    /// grpc-dotnet's client activity (one per call, parent of the call's HttpClient span). Without it in the trace, every
    /// internal call's HTTP span points at a parent nobody exported, and the dashboard shows the hops as loose roots.
    /// </summary>
    public const string GrpcClientActivitySource = "Grpc.Net.Client";

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, PipelineActivitySources, GrpcClientActivitySource)
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsHealthProbe(context.Request.Path))
                .AddProcessor(new GrpcSpanAttributes())
                .AddHttpClientInstrumentation(options => options.FilterHttpRequestMessage = request =>
                    request.RequestUri is not { } uri || !IsHealthProbe(new PathString(uri.AbsolutePath))));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        return builder;
    }

    /// <summary><c>/health</c>, <c>/alive</c> and gRPC health calls: probed every few seconds, never worth a trace.</summary>
    internal static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/alive") || path.StartsWithSegments("/grpc.health.v1.Health");
}
