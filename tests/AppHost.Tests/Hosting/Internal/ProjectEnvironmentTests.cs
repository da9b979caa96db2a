using AppHost.Hosting;
using AppHost.Hosting.Internal;
using AppHost.Hosting.Testing;

namespace AppHost.Tests.Hosting.Internal;

public sealed class ProjectEnvironmentTests
{
    [Fact]
    public void Build_ReferenceToProjectWithHttpAndGrpc_InjectsBothServiceFormsAndEndpointVariables()
    {
        var builder = DistributedApplicationTestingBuilder.Create();
        var openai = builder.AddProject("openai", "OpenAI.Adapter");
        var router = builder.AddProject("router", "Router.Service").WithReference(openai);
        Pin(openai.Resource, http: 41001, grpc: 41002);
        Pin(router.Resource, http: 41003, grpc: 41004);

        var env = ProjectEnvironment.Build(router.Resource, builder.Options);

        // By endpoint name (pre-PR #14626 form, what ServiceDefaults' resolver reads for "grpc").
        Assert.Equal("http://127.0.0.1:41001", env["services__openai__http__0"]);
        Assert.Equal("http://127.0.0.1:41002", env["services__openai__grpc__0"]);
        // By scheme, indexed per scheme (PR #14626 form): the grpc endpoint is the second http-scheme URL.
        Assert.Equal("http://127.0.0.1:41002", env["services__openai__http__1"]);
        Assert.Equal("http://127.0.0.1:41001", env["OPENAI_HTTP"]);
        Assert.Equal("http://127.0.0.1:41002", env["OPENAI_GRPC"]);
        // Its own endpoints: Kestrel endpoint URLs (Protocols stay in appsettings), not ASPNETCORE_URLS.
        Assert.Equal("http://127.0.0.1:41003", env["Kestrel__Endpoints__http__Url"]);
        Assert.Equal("http://127.0.0.1:41004", env["Kestrel__Endpoints__grpc__Url"]);
        Assert.False(env.ContainsKey("ASPNETCORE_URLS"));
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("services__router", StringComparison.Ordinal));
        Assert.Equal(5, env.Keys.Count(k => k.StartsWith("services__", StringComparison.Ordinal) || k.StartsWith("OPENAI_", StringComparison.Ordinal)));
    }

    [Fact]
    public void Build_Defaults_SetsAspireRunModeVariables()
    {
        var builder = DistributedApplicationTestingBuilder.Create();
        var router = builder.AddProject("router", "Router.Service");
        Pin(router.Resource, http: 41003, grpc: 41004);

        var env = ProjectEnvironment.Build(router.Resource, builder.Options);

        Assert.Equal("router", env["OTEL_SERVICE_NAME"]);
        Assert.Matches("^service.instance.id=router-[0-9a-f]{8}$", env["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal("Development", env["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("Development", env["DOTNET_ENVIRONMENT"]);
        Assert.Equal("1000", env["OTEL_BSP_SCHEDULE_DELAY"]);
        Assert.Equal("1000", env["OTEL_BLRP_SCHEDULE_DELAY"]);
        Assert.Equal("1000", env["OTEL_METRIC_EXPORT_INTERVAL"]);
        Assert.Equal("always_on", env["OTEL_TRACES_SAMPLER"]);
        Assert.Equal("trace_based", env["OTEL_METRICS_EXEMPLAR_FILTER"]);
        Assert.Equal("in_memory", env["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"]);
        Assert.Equal("simple", env["LOGGING__CONSOLE__FORMATTERNAME"]);
        Assert.Equal("true", env["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"]);
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), env["PIPELINE_APPHOST_PID"]);
        // No dashboard configured: services must not try to export.
        Assert.False(env.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.False(env.ContainsKey("OTEL_EXPORTER_OTLP_PROTOCOL"));
    }

    [Fact]
    public void Build_OtlpEndpointConfiguredInProduction_ExportsWithoutDevelopmentDelays()
    {
        var builder = DistributedApplicationTestingBuilder.Create();
        builder.Options.OtlpEndpoint = "http://127.0.0.1:18889";
        builder.Options.EnvironmentName = "Production";
        var router = builder.AddProject("router", "Router.Service");
        Pin(router.Resource, http: 41003, grpc: 41004);

        var env = ProjectEnvironment.Build(router.Resource, builder.Options);

        Assert.Equal("http://127.0.0.1:18889", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("grpc", env["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal("Production", env["ASPNETCORE_ENVIRONMENT"]);
        Assert.False(env.ContainsKey("OTEL_BSP_SCHEDULE_DELAY"));
        Assert.False(env.ContainsKey("OTEL_TRACES_SAMPLER"));
    }

    [Fact]
    public void Build_ProjectWithoutKestrelEndpoints_GetsAspNetCoreUrlsAndUserEnvironmentWins()
    {
        var builder = DistributedApplicationTestingBuilder.Create();
        var emulator = builder.AddProject("emulator", "ProviderEmulator");
        var openai = builder.AddProject("openai", "OpenAI.Adapter")
            .WithReference(emulator)
            .WithEnvironment("OpenAI__BaseUrl", ReferenceExpression.Create($"{emulator.GetEndpoint("http")}/v1"))
            .WithEnvironment("OTEL_SERVICE_NAME", "custom");
        Pin(emulator.Resource, http: 41005);
        Pin(openai.Resource, http: 41006, grpc: 41007);

        var emulatorEnv = ProjectEnvironment.Build(emulator.Resource, builder.Options);
        var openaiEnv = ProjectEnvironment.Build(openai.Resource, builder.Options);

        Assert.Equal("http://127.0.0.1:41005", emulatorEnv["ASPNETCORE_URLS"]);
        Assert.DoesNotContain(emulatorEnv.Keys, k => k.StartsWith("Kestrel__", StringComparison.Ordinal));
        Assert.Equal("http://127.0.0.1:41005/v1", openaiEnv["OpenAI__BaseUrl"]);
        Assert.Equal("http://127.0.0.1:41005", openaiEnv["services__emulator__http__0"]);
        Assert.Equal("http://127.0.0.1:41005", openaiEnv["EMULATOR_HTTP"]);
        Assert.Equal("custom", openaiEnv["OTEL_SERVICE_NAME"]);
    }

    [Theory]
    [InlineData("openrouter", "OPENROUTER")]
    [InlineData("open-router.v2", "OPEN_ROUTER_V2")]
    public void EnvironmentName_NonAlphanumerics_BecomeUnderscoresUpperCased(string name, string expected)
    {
        Assert.Equal(expected, ProjectEnvironment.EnvironmentName(name));
    }

    private static void Pin(ProjectResource resource, int http, int? grpc = null)
    {
        resource.GetEndpointAnnotation("http").AllocatedPort = http;
        if (grpc is { } port)
        {
            resource.GetEndpointAnnotation("grpc").AllocatedPort = port;
        }
    }
}
