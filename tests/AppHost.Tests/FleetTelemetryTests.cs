using System.Diagnostics;
using AppHost.Tests.Fleet;
using Aspire.Hosting.Testing;

namespace AppHost.Tests;

/// <summary>What each service receives from the AppHost and what reaches the Aspire dashboard.</summary>
[Collection(FleetCollection.Name)]
public sealed class FleetTelemetryTests(FleetFixture fleet)
{
    private static readonly string[] RouterAndWhatItCalls = ["router", "storage", "openai", "openrouter", "declarative", "comfyui"];

    [Fact]
    public async Task RouterGrpcCall_WithTraceparent_ArrivesInDashboardAsRouterSpansOfThatTraceWithRpcAttributes()
    {
        var ct = TestContext.Current.CancellationToken;
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var callerSpanId = ActivitySpanId.CreateRandom().ToHexString();

        var router = await ProcessProbe.EnvironmentAsync(fleet.ServiceProcessId("router"), ct).DefaultTimeout();
        var configs = await GrpcClients.ListConfigsAsync(fleet.App.GetEndpoint("router", "grpc"), $"00-{traceId}-{callerSpanId}-01",
            router["Pipeline__InternalSecret"], ct).DefaultTimeout();

        Assert.True(configs > 0);
        using var telemetry = new DashboardTelemetry(fleet.Dashboard, TestTimeouts.Default);
        var spans = await telemetry.WaitForTraceAsync(traceId, s => s.Any(span => span.Service == "router" && span.ParentSpanId == callerSpanId), ct);
        // The router answers the call; its own calls (a refresh of the price list asks the adapters) may join the trace, but
        // nothing else: the caller's span has one child, the router's server span.
        var server = spans.Single(s => s.ParentSpanId == callerSpanId);
        Assert.Equal("router", server.Service);
        Assert.All(spans, s => Assert.Contains(s.Service, RouterAndWhatItCalls));
        Assert.Equal("Microsoft.AspNetCore", server.Scope);
        Assert.Equal("200", server.Attribute("http.response.status_code"));
        // gRPC attributes: the ASP.NET Core instrumentation's (OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_ENABLE_GRPC_INSTRUMENTATION) and ServiceDefaults' GrpcSpanAttributes.
        Assert.Equal("grpc", server.Attribute("rpc.system"));
        Assert.Equal("imagegen.v1.ImageGeneration", server.Attribute("rpc.service"));
        Assert.Equal("imagegen.v1.ImageGeneration/ListConfigs", server.Attribute("rpc.method"));
        Assert.Equal("0", server.Attribute("rpc.grpc.status_code"));

        // Health probes (DCP's every few seconds, for every service) never become traces.
        var recent = await telemetry.RecentSpansAsync(1000, ct);
        Assert.DoesNotContain(recent, s => s.Name.Contains("/health", StringComparison.Ordinal) || s.Name.Contains("/alive", StringComparison.Ordinal)
            || s.Attribute("url.path") is "/health" or "/alive");
    }

    [Fact]
    public async Task Services_EnvironmentFromAppHost_DiscoveryTelemetryDataFolderAndNoDevelopmentMode()
    {
        var ct = TestContext.Current.CancellationToken;
        var router = await ProcessProbe.EnvironmentAsync(fleet.ServiceProcessId("router"), ct).DefaultTimeout();
        var storage = await ProcessProbe.EnvironmentAsync(fleet.ServiceProcessId("storage"), ct).DefaultTimeout();
        var gateway = await ProcessProbe.EnvironmentAsync(fleet.ServiceProcessId("gateway"), ct).DefaultTimeout();
        var openai = await ProcessProbe.EnvironmentAsync(fleet.ServiceProcessId("openai"), ct).DefaultTimeout();

        Assert.Equal(fleet.App.GetEndpoint("openai", "grpc").ToString().TrimEnd('/'), router["services__openai__grpc__0"]);
        Assert.Equal(fleet.App.GetEndpoint("storage", "grpc").ToString().TrimEnd('/'), router["services__storage__grpc__0"]);
        Assert.Equal(fleet.App.GetEndpoint("router", "grpc").ToString().TrimEnd('/'), gateway["services__router__grpc__0"]);
        Assert.Equal("router", router["OTEL_SERVICE_NAME"]);
        Assert.StartsWith("service.instance.id=", router["OTEL_RESOURCE_ATTRIBUTES"], StringComparison.Ordinal);
        Assert.Equal("true", router["OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_ENABLE_GRPC_INSTRUMENTATION"]);
        Assert.True(router.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.Equal(Path.Combine(fleet.DataDirectory, "spool"), router["Router__Spool__Directory"]);
        Assert.Equal(Path.Combine(fleet.DataDirectory, "storage"), storage["Storage__DataDirectory"]);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(FleetFixture.ApiKey))), gateway["Gateway__Keys__0__Sha256"]);
        Assert.DoesNotContain(gateway.Values, value => value.Contains(FleetFixture.ApiKey));
        Assert.Equal(fleet.App.GetEndpoint("emulator", "http").ToString().TrimEnd('/') + "/v1", openai["OpenAI__BaseUrl"]);
        // No service runs in Development (no developer exception page), whatever the AppHost's own environment.
        Assert.All(new[] { router, storage, gateway, openai }, env => Assert.False(env.TryGetValue("ASPNETCORE_ENVIRONMENT", out var name) && name == "Development"));
    }
}
