using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Pipeline.Grpc;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// OpenTelemetry wired by hand (OpenTelemetry.Extensions.Hosting is not in the registry here): tracer and meter
/// providers are singletons the host disposes at shutdown; the OTLP exporter reads the standard <c>OTEL_*</c> variables.
/// </summary>
public static class OpenTelemetryExtensions
{
    /// <summary>Extra ActivitySource names a service listens to (its own spans).</summary>
    public const string PipelineActivitySourcePrefix = "Pipeline.";

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var endpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return builder;
        }
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        var resource = ResourceBuilder.CreateDefault().AddService(serviceName);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            logging.SetResourceBuilder(resource);
            logging.AddOtlpExporter();
        });
        builder.Services.AddSingleton(_ => Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource("Microsoft.AspNetCore", "System.Net.Http", GrpcDiagnostics.ActivitySourceName, builder.Environment.ApplicationName)
            .AddSource(PipelineActivitySourcePrefix + "*")
            .AddProcessor(new HealthProbeFilter())
            .AddOtlpExporter()
            .Build());
        builder.Services.AddSingleton(_ => Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime")
            .AddOtlpExporter()
            .Build());
        builder.Services.AddHostedService<TelemetryStarter>();
        return builder;
    }

    /// <summary>Creates the providers at start-up so the first request is traced.</summary>
    private sealed class TelemetryStarter(TracerProvider tracer, MeterProvider meter) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = (tracer, meter);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            tracer.ForceFlush(2000);
            meter.ForceFlush(2000);
            return Task.CompletedTask;
        }
    }

    /// <summary>Health probes (<c>/health</c>, <c>/alive</c>, gRPC health) are not worth a trace.</summary>
    private sealed class HealthProbeFilter : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            var path = data.GetTagItem("url.path") as string;
            if (path is "/health" or "/alive" || data.OperationName.StartsWith("grpc.health.v1.", StringComparison.Ordinal)
                || data.DisplayName.Contains("grpc.health.v1.Health", StringComparison.Ordinal))
            {
                data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            }
        }
    }
}
