using System.Collections.Concurrent;
using Grpc.Health.V1;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Pipeline.Grpc.Health;

/// <summary>
/// <c>grpc.health.v1.Health</c>. The whole server ("") and every mapped service report the application's health
/// checks (SERVING when Healthy or Degraded, NOT_SERVING otherwise, and NOT_SERVING once the host is stopping);
/// <see cref="SetStatus"/> overrides one name. Unknown names: Check answers NOT_FOUND, Watch SERVICE_UNKNOWN.
/// </summary>
public sealed class GrpcHealthService(GrpcServiceRegistry registry, IServiceProvider services)
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor s_descriptor = HealthReflection.Descriptor.Services[0];

    /// <summary><c>/grpc.health.v1.Health/Check</c>.</summary>
    public static readonly Method<HealthCheckRequest, HealthCheckResponse> CheckMethod = Method<HealthCheckRequest, HealthCheckResponse>.From(s_descriptor, "Check");

    /// <summary><c>/grpc.health.v1.Health/Watch</c>.</summary>
    public static readonly Method<HealthCheckRequest, HealthCheckResponse> WatchMethod = Method<HealthCheckRequest, HealthCheckResponse>.From(s_descriptor, "Watch");

    private readonly ConcurrentDictionary<string, ServingStatus> _overrides = new(StringComparer.Ordinal);

    /// <summary>The service definition to map.</summary>
    public static GrpcServiceDefinition<GrpcHealthService> Definition => new GrpcServiceDefinition<GrpcHealthService>(s_descriptor)
        .Unary(CheckMethod, (service, request, context) => service.CheckAsync(request, context))
        .ServerStreaming(WatchMethod, (service, request, stream, context) => service.WatchAsync(request, stream, context));

    /// <summary>How often Watch re-evaluates health. Default 5 s.</summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Overrides the status reported for <paramref name="service"/> ("" = the whole server).</summary>
    public void SetStatus(string service, ServingStatus status) => _overrides[service] = status;

    /// <summary>Removes an override.</summary>
    public void ClearStatus(string service) => _overrides.TryRemove(service, out _);

    private async Task<HealthCheckResponse> CheckAsync(HealthCheckRequest request, ServerCallContext context)
    {
        var status = await GetStatusAsync(request.Service, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"Service '{request.Service}' is unknown."));
        return new HealthCheckResponse { Status = status };
    }

    private async Task WatchAsync(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> stream, ServerCallContext context)
    {
        ServingStatus? last = null;
        using var timer = new PeriodicTimer(WatchInterval);
        do
        {
            var status = await GetStatusAsync(request.Service, context.CancellationToken) ?? ServingStatus.ServiceUnknown;
            if (status != last)
            {
                await stream.WriteAsync(new HealthCheckResponse { Status = status }, context.CancellationToken);
                last = status;
            }
        }
        while (await timer.WaitForNextTickAsync(context.CancellationToken));
    }

    private async Task<ServingStatus?> GetStatusAsync(string service, CancellationToken cancellationToken)
    {
        if (_overrides.TryGetValue(service, out var overridden))
        {
            return overridden;
        }
        if (service.Length > 0 && !registry.Contains(service))
        {
            return null;
        }
        if (services.GetService<IHostApplicationLifetime>() is { } lifetime && lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return ServingStatus.NotServing;
        }
        if (services.GetService<HealthCheckService>() is not { } healthChecks)
        {
            return ServingStatus.Serving;
        }
        var report = await healthChecks.CheckHealthAsync(cancellationToken);
        return report.Status == HealthStatus.Unhealthy ? ServingStatus.NotServing : ServingStatus.Serving;
    }
}
