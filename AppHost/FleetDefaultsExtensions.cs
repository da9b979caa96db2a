using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AppHost;

/// <summary>What every service of the fleet gets, applied once after the model is declared.</summary>
public static class FleetDefaultsExtensions
{
    /// <summary>
    /// For every project: fresh ports without DCP's proxy unless marked <see cref="StablePortsAnnotation"/> (their
    /// appsettings ports are only defaults for running one service alone), rpc.* on gRPC server spans; then a crashed project is started again
    /// (<see cref="CrashRestarter"/>) and the <see cref="StartupBanner"/> is printed once the resources exist.
    /// </summary>
    public static IDistributedApplicationBuilder WithFleetDefaults(this IDistributedApplicationBuilder builder)
    {
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            var resource = builder.CreateResourceBuilder(project);
            if (!project.HasAnnotationOfType<StablePortsAnnotation>())
            {
                foreach (var endpoint in project.Annotations.OfType<EndpointAnnotation>())
                {
                    endpoint.Port = null;
                    // Internal hops go straight to the process: DCP's proxy adds latency to every call and streamed frame.
                    endpoint.IsProxied = false;
                }
            }
            // OpenTelemetry.Instrumentation.AspNetCore adds rpc.system / rpc.service / rpc.method / rpc.grpc.status_code
            // to Grpc.AspNetCore's server spans only when this is set.
            resource.WithEnvironment("OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_ENABLE_GRPC_INSTRUMENTATION", "true");
        }
        builder.Services.AddSingleton<CrashRestarter>();
        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            e.Services.GetRequiredService<CrashRestarter>().Start();
            return Task.CompletedTask;
        });
        var banner = StartupBanner.Of(builder);
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>((e, _) =>
        {
            banner.Print(e.Services.GetRequiredService<DistributedApplicationModel>(), e.Services.GetRequiredService<IConfiguration>(),
                e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AppHost"));
            return Task.CompletedTask;
        });
        return builder;
    }
}
