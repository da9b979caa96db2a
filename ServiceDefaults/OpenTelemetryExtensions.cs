using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;


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
        // No generated instance id: it would override service.instance.id from OTEL_RESOURCE_ATTRIBUTES (the AppHost's).
        var resource = ResourceBuilder.CreateDefault().AddService(serviceName, autoGenerateServiceInstanceId: false);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            logging.SetResourceBuilder(resource);
            logging.AddOtlpExporter();
        });
        builder.Services.AddSingleton(_ => Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource("Microsoft.AspNetCore", "System.Net.Http", builder.Environment.ApplicationName)
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
        builder.Services.AddSingleton<IStartupFilter, HttpServerSpanEnricher>();
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

    /// <summary>
    /// Names and tags the ASP.NET Core request span as OpenTelemetry's HTTP conventions do (the ASP.NET Core
    /// instrumentation package is not in the registry; without it the span is "Microsoft.AspNetCore.Hosting.HttpRequestIn"
    /// with no tags): "{method} {route}", <c>http.request.method</c>, <c>url.path</c>, <c>http.route</c>,
    /// <c>http.response.status_code</c>, Error on 5xx or an exception.
    /// </summary>
    private sealed class HttpServerSpanEnricher : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(EnrichAsync);
            next(app);
        };

        private static async Task EnrichAsync(HttpContext context, RequestDelegate next)
        {
            if (context.Features.Get<IHttpActivityFeature>()?.Activity is not { IsAllDataRequested: true } activity)
            {
                await next(context);
                return;
            }
            var method = context.Request.Method;
            activity.SetTag("http.request.method", method);
            activity.SetTag("url.path", context.Request.Path.Value);
            activity.SetTag("url.scheme", context.Request.Scheme);
            activity.SetTag("network.protocol.version", context.Request.Protocol == "HTTP/2" ? "2" : "1.1");
            try
            {
                await next(context);
            }
            catch (Exception e)
            {
                activity.SetStatus(ActivityStatusCode.Error, e.GetType().FullName);
                throw;
            }
            finally
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
                activity.SetTag("http.route", route);
                activity.DisplayName = route is null ? method : $"{method} {route}";
                activity.SetTag("http.response.status_code", context.Response.StatusCode);
                if (context.Response.StatusCode >= 500)
                {
                    activity.SetStatus(ActivityStatusCode.Error);
                }
            }
        }
    }

    /// <summary>Health probes (<c>/health</c>, <c>/alive</c>, gRPC health) are not worth a trace.</summary>
    private sealed class HealthProbeFilter : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            var path = data.GetTagItem("url.path") as string;
            if (path is "/health" or "/alive" || path?.StartsWith("/grpc.health.v1.Health/", StringComparison.Ordinal) == true
                || data.OperationName.StartsWith("grpc.health.v1.", StringComparison.Ordinal)
                || data.DisplayName.Contains("grpc.health.v1.Health", StringComparison.Ordinal))
            {
                data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            }
        }
    }
}
