using AppHost.Hosting;
using AppHost.Hosting.Internal;
using AppHost.Hosting.Testing;

namespace AppHost.Tests;

/// <summary>The model Program.cs declares, captured by the testing builder without starting anything.</summary>
public sealed class PipelineModelTests
{
    [Fact]
    public void Program_Offline_DeclaresFleetInDependencyOrderWithEmulator()
    {
        var builder = DistributedApplicationTestingBuilder.CreateFromAppHost();

        Assert.Equal(["storage", "emulator", "openai", "openrouter", "router", "gateway"], builder.Resources.Select(r => r.Name));
        var byName = builder.Resources.ToDictionary(r => r.Name);
        Assert.Equal(["storage", "openai", "openrouter"], byName["router"].References.Select(r => r.Name));
        Assert.Equal(["storage", "openai", "openrouter"], byName["router"].WaitsFor.Select(r => r.Name));
        Assert.Equal(["router", "storage"], byName["gateway"].References.Select(r => r.Name));
        Assert.Equal(["router"], byName["gateway"].WaitsFor.Select(r => r.Name));
        Assert.Equal(["emulator"], byName["openai"].WaitsFor.Select(r => r.Name));
        Assert.Equal(["emulator"], byName["openrouter"].References.Select(r => r.Name));
        Assert.All(builder.Resources.Where(r => r.Name != "emulator"), r => Assert.Equal(new HttpHealthCheckAnnotation("/health", 200, "http"), r.HealthCheck));
        Assert.Contains(builder.StartupMessages, m => m.Contains("offline provider emulator", StringComparison.Ordinal));
    }

    [Fact]
    public void Program_Offline_AdaptersGetEmulatorBaseUrlsAndGatewayGetsGeneratedKey()
    {
        var builder = DistributedApplicationTestingBuilder.CreateFromAppHost();
        new PortAllocator().Allocate(builder.Resources, randomizeAll: true);
        var byName = builder.Resources.ToDictionary(r => r.Name);
        var emulatorUrl = byName["emulator"].GetEndpointAnnotation("http").Url;

        var openai = ProjectEnvironment.Build(byName["openai"], builder.Options);
        var openrouter = ProjectEnvironment.Build(byName["openrouter"], builder.Options);
        var gateway = ProjectEnvironment.Build(byName["gateway"], builder.Options);

        Assert.Equal(emulatorUrl + "/v1", openai["OpenAI__BaseUrl"]);
        Assert.Equal(PipelineResourceExtensions.EmulatorApiKey, openai["OpenAI__ApiKey"]);
        Assert.Equal(emulatorUrl + "/api/v1", openrouter["OpenRouter__BaseUrl"]);
        Assert.Equal(("true", "true"), (openai["OpenAI__Download__AllowPrivateNetworks"], openrouter["OpenRouter__Download__AllowPrivateNetworks"]));
        Assert.Matches("^pk-dev-[A-Za-z0-9_-]{43}$", gateway["Gateway__ApiKeys__0"]);
        Assert.Contains(builder.StartupMessages, m => m.Contains(gateway["Gateway__ApiKeys__0"], StringComparison.Ordinal));
        Assert.Equal(byName["router"].GetEndpointAnnotation("grpc").Url, gateway["services__router__grpc__0"]);
    }

    [Fact]
    public void Program_ProviderKeysAndApiKeySet_NoEmulatorAndKeysPassedThrough()
    {
        var builder = DistributedApplicationTestingBuilder.CreateFromAppHost(
            "--OPENAI_API_KEY=sk-real-openai", "--OPENROUTER_API_KEY=sk-real-openrouter", "--PIPELINE_API_KEY=pk-chosen");
        new PortAllocator().Allocate(builder.Resources, randomizeAll: true);
        var byName = builder.Resources.ToDictionary(r => r.Name);

        Assert.DoesNotContain("emulator", byName.Keys);
        Assert.Empty(byName["openai"].References);
        Assert.Equal("sk-real-openai", ProjectEnvironment.Build(byName["openai"], builder.Options)["OpenAI__ApiKey"]);
        Assert.False(ProjectEnvironment.Build(byName["openai"], builder.Options).ContainsKey("OpenAI__BaseUrl"));
        Assert.False(ProjectEnvironment.Build(byName["openai"], builder.Options).ContainsKey("OpenAI__Download__AllowPrivateNetworks"));
        Assert.Equal("sk-real-openrouter", ProjectEnvironment.Build(byName["openrouter"], builder.Options)["OpenRouter__ApiKey"]);
        Assert.Equal("pk-chosen", ProjectEnvironment.Build(byName["gateway"], builder.Options)["Gateway__ApiKeys__0"]);
    }

    [Fact]
    public void Program_DashboardEnabled_DeclaredFirstAndEveryServiceExportsToIt()
    {
        var builder = DistributedApplicationTestingBuilder.CreateFromAppHost([], o => o.DisableDashboard = false);
        new PortAllocator().Allocate(builder.Resources, randomizeAll: true);
        var otlp = builder.Dashboard!.GetEndpointAnnotation("otlp-grpc").Url;

        Assert.Equal(["dashboard", "storage", "emulator", "openai", "openrouter", "router", "gateway"], builder.Resources.Select(r => r.Name));
        Assert.All(builder.Resources.Skip(1), r => Assert.Equal(otlp, ProjectEnvironment.Build(r, builder.Options, builder.Dashboard)["OTEL_EXPORTER_OTLP_ENDPOINT"]));
    }

    [Fact]
    public void Program_GatewayPorts_FixedByDefaultAndOverridableFromCommandLine()
    {
        var defaults = DistributedApplicationTestingBuilder.CreateFromAppHost().Resources.Single(r => r.Name == "gateway");
        var overridden = DistributedApplicationTestingBuilder.CreateFromAppHost("--gateway-http-port", "9080", "--gateway-grpc-port", "9081")
            .Resources.Single(r => r.Name == "gateway");

        Assert.Equal(8080, defaults.GetEndpointAnnotation("http").Port);
        Assert.Equal(8081, defaults.GetEndpointAnnotation("grpc").Port);
        Assert.True(defaults.GetEndpointAnnotation("http").IsExternal);
        Assert.Equal(9080, overridden.GetEndpointAnnotation("http").Port);
        Assert.Equal(9081, overridden.GetEndpointAnnotation("grpc").Port);
        Assert.All(DistributedApplicationTestingBuilder.CreateFromAppHost().Resources.Where(r => r.Name != "gateway"),
            r => Assert.All(r.Endpoints, e => Assert.Null(e.Port)));
    }
}
