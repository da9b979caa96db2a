using AppHost.Hosting;
using AppHost.Hosting.Internal;
using AppHost.Hosting.Testing;

namespace AppHost.Tests.Hosting;

public sealed class DashboardBuilderExtensionsTests
{
    [Fact]
    public void AddDashboard_Enabled_AspirePortsAndEveryServiceExportsToItsOtlpGrpcEndpoint()
    {
        var builder = DistributedApplicationTestingBuilder.Create();
        builder.Options.DisableDashboard = false;
        var dashboard = builder.AddDashboard()!;
        var router = builder.AddProject("router", "Router.Service");
        new PortAllocator().Allocate(builder.Resources, randomizeAll: false);

        Assert.Same(dashboard.Resource, builder.Dashboard);
        Assert.Equal([("http", 18888, "http"), ("otlp-grpc", 18889, "http2"), ("otlp-http", 18890, "http")],
            dashboard.Resource.Endpoints.Select(e => (e.Name, e.Port!.Value, e.Transport)));
        Assert.Equal(new HttpHealthCheckAnnotation("/health", 200, "http"), dashboard.Resource.HealthCheck);
        var routerEnv = ProjectEnvironment.Build(router.Resource, builder.Options, builder.Dashboard);
        Assert.Equal("http://127.0.0.1:18889", routerEnv["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("grpc", routerEnv["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal("router", routerEnv["OTEL_SERVICE_NAME"]);
        Assert.Equal($"service.instance.id={router.Resource.InstanceId}", routerEnv["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal("1000", routerEnv["OTEL_BSP_SCHEDULE_DELAY"]);
        Assert.Equal("1000", routerEnv["OTEL_BLRP_SCHEDULE_DELAY"]);
        Assert.Equal("1000", routerEnv["OTEL_METRIC_EXPORT_INTERVAL"]);
        // The dashboard never exports (it would send its own telemetry to itself); its Kestrel endpoints come from the AppHost.
        var dashboardEnv = ProjectEnvironment.Build(dashboard.Resource, builder.Options, builder.Dashboard);
        Assert.False(dashboardEnv.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.Equal("http://127.0.0.1:18889", dashboardEnv["Kestrel__Endpoints__otlp-grpc__Url"]);
    }

    [Fact]
    public void AddDashboard_HttpProtobufAndPortsFromConfiguration_ServicesUseTheOtlpHttpEndpoint()
    {
        var builder = DistributedApplicationTestingBuilder.Create(
            "--dashboard-port", "19888", "--Dashboard:OtlpGrpcPort=19889", "--Dashboard:OtlpHttpPort=19890");
        builder.Options.DisableDashboard = false;
        builder.Options.OtlpProtocol = "http/protobuf";
        var dashboard = builder.AddDashboard()!;
        var storage = builder.AddProject("storage", "Storage.Service");
        new PortAllocator().Allocate(builder.Resources, randomizeAll: false);

        Assert.Equal([19888, 19889, 19890], dashboard.Resource.Endpoints.Select(e => e.AllocatedPort!.Value));
        var env = ProjectEnvironment.Build(storage.Resource, builder.Options, builder.Dashboard);
        Assert.Equal("http://127.0.0.1:19890", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("http/protobuf", env["OTEL_EXPORTER_OTLP_PROTOCOL"]);
    }

    [Fact]
    public void AddDashboard_ExternalOtlpEndpoint_NoDashboardAndServicesExportThere()
    {
        var builder = DistributedApplicationTestingBuilder.Create();
        builder.Options.DisableDashboard = false;
        builder.Options.OtlpEndpoint = "http://127.0.0.1:4317";

        Assert.Null(builder.AddDashboard());
        var router = builder.AddProject("router", "Router.Service");
        new PortAllocator().Allocate(builder.Resources, randomizeAll: false);

        Assert.Null(builder.Dashboard);
        Assert.Equal(["router"], builder.Resources.Select(r => r.Name));
        Assert.Contains(builder.StartupMessages, m => m.Contains("http://127.0.0.1:4317", StringComparison.Ordinal));
        Assert.Equal("http://127.0.0.1:4317", ProjectEnvironment.Build(router.Resource, builder.Options, builder.Dashboard)["OTEL_EXPORTER_OTLP_ENDPOINT"]);
    }

    [Fact]
    public void AddDashboard_TestDefaults_Disabled()
    {
        var builder = DistributedApplicationTestingBuilder.Create();

        Assert.Null(builder.AddDashboard());
        Assert.Empty(builder.Resources);
    }
}
