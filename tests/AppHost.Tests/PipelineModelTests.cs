using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace AppHost.Tests;

/// <summary>The model Program.cs declares, read from Aspire's testing builder without starting anything.</summary>
public sealed class PipelineModelTests
{
    private static readonly string[] OfflineArgs = ["--OPENAI_API_KEY=", "--OPENROUTER_API_KEY=", "--PIPELINE_API_KEY="];

    [Fact]
    public async Task Program_Offline_DeclaresFleetInDependencyOrderWithEmulator()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(OfflineArgs, ct).DefaultTimeout();

        var projects = builder.Resources.OfType<ProjectResource>().ToDictionary(r => r.Name);
        Assert.Equal(["storage", "emulator", "openai", "openrouter", "declarative", "comfyui", "router", "gateway"], projects.Keys);
        Assert.Equal(["storage", "openai", "openrouter", "declarative", "comfyui"], WaitsFor(projects["router"]));
        Assert.Equal(["router"], WaitsFor(projects["gateway"]));
        Assert.Equal(["emulator"], WaitsFor(projects["openai"]));
        Assert.Equal(["emulator"], WaitsFor(projects["openrouter"]));
        Assert.All(projects.Values, p => Assert.True(p.TryGetAnnotationsOfType<HealthCheckAnnotation>(out var checks) && checks.Any()));
        var env = await EnvironmentAsync(projects["openai"], ct);
        Assert.Equal("{emulator.bindings.http.url}/v1", Assert.IsType<ReferenceExpression>(env["OpenAI__BaseUrl"]).ValueExpression);
        Assert.Equal(AppHost.PipelineResourceExtensions.EmulatorApiKey, env["OpenAI__ApiKey"]);
        Assert.Equal("true", env["OpenAI__Download__AllowPrivateNetworks"]);
        var openrouter = await EnvironmentAsync(projects["openrouter"], ct);
        Assert.Equal("{emulator.bindings.http.url}/api/v1", Assert.IsType<ReferenceExpression>(openrouter["OpenRouter__BaseUrl"]).ValueExpression);
        var comfyui = await EnvironmentAsync(projects["comfyui"], ct);
        Assert.Equal("{emulator.bindings.http.url}/comfyui", Assert.IsType<ReferenceExpression>(comfyui["ComfyUI__BaseUrl"]).ValueExpression);
        var declarative = await EnvironmentAsync(projects["declarative"], ct);
        Assert.Equal("true", declarative["Declarative__Download__AllowPrivateNetworks"]);
        Assert.Contains("Declarative__EmulatorUrl", declarative.Keys);
        Assert.DoesNotContain(declarative.Keys, name => name.StartsWith("Declarative__Secrets__", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Program_NoApiKey_GatewayGetsGeneratedSecretKeyOnStablePorts()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(OfflineArgs, ct).DefaultTimeout();

        var gateway = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "gateway");
        var env = await EnvironmentAsync(gateway, ct);
        Assert.Matches("^[0-9a-f]{64}$", Assert.IsType<string>(env["Gateway__Keys__0__Sha256"]));
        Assert.Equal(("default", "member"), ((string)env["Gateway__Keys__0__Tenant"], (string)env["Gateway__Keys__0__Role"]));
        Assert.DoesNotContain(env.Keys, name => name.StartsWith("Gateway__ApiKeys", StringComparison.Ordinal));
        var endpoints = gateway.Annotations.OfType<EndpointAnnotation>().ToDictionary(e => e.Name);
        Assert.Equal((8080, 8081), (endpoints["http"].Port, endpoints["grpc"].Port));
        Assert.True(endpoints["http"].IsExternal);
        Assert.Equal("http2", endpoints["grpc"].Transport);
        Assert.All(builder.Resources.OfType<ProjectResource>().Where(r => r.Name != "gateway"),
            r => Assert.All(r.Annotations.OfType<EndpointAnnotation>(), e => Assert.Null(e.Port)));
    }

    [Fact]
    public async Task Program_ProviderKeysSet_NoEmulatorAndKeysAreSecretParameters()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--OPENAI_API_KEY=sk-real-openai", "--Parameters:openrouter-api-key=sk-real-openrouter", "--PIPELINE_API_KEY=pk-chosen",
             "--COMFYUI_URL=http://127.0.0.1:8188", "--STABILITY_API_KEY=sk-real-stability"], ct).DefaultTimeout();

        var projects = builder.Resources.OfType<ProjectResource>().ToDictionary(r => r.Name);
        Assert.DoesNotContain("emulator", projects.Keys);
        Assert.Empty(WaitsFor(projects["openai"]));
        var openai = await EnvironmentAsync(projects["openai"], ct);
        var openaiKey = Assert.IsType<ParameterResource>(openai["OpenAI__ApiKey"]);
        Assert.Equal(("openai-api-key", true, "sk-real-openai"), (openaiKey.Name, openaiKey.Secret, await openaiKey.GetValueAsync(ct)));
        Assert.False(openai.ContainsKey("OpenAI__BaseUrl"));
        Assert.False(openai.ContainsKey("OpenAI__Download__AllowPrivateNetworks"));
        var openrouterKey = Assert.IsType<ParameterResource>((await EnvironmentAsync(projects["openrouter"], ct))["OpenRouter__ApiKey"]);
        Assert.Equal("sk-real-openrouter", await openrouterKey.GetValueAsync(ct));
        var gateway = await EnvironmentAsync(projects["gateway"], ct);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("pk-chosen"u8)), gateway["Gateway__Keys__0__Sha256"]);
        Assert.DoesNotContain(gateway.Values, value => value is string text && text.Contains("pk-chosen"));
        Assert.Equal("http://127.0.0.1:8188", (await EnvironmentAsync(projects["comfyui"], ct))["ComfyUI__BaseUrl"]);
        var declarative = await EnvironmentAsync(projects["declarative"], ct);
        var stabilityKey = Assert.IsType<ParameterResource>(declarative["Declarative__Secrets__STABILITY_API_KEY"]);
        Assert.Equal((true, "sk-real-stability"), (stabilityKey.Secret, await stabilityKey.GetValueAsync(ct)));
        Assert.IsType<ParameterResource>(declarative["Declarative__Secrets__OPENAI_API_KEY"]);
        Assert.False(declarative.ContainsKey("Declarative__Secrets__PIPELINE_API_KEY"));   // the gateway's key is no provider's secret
        Assert.False(declarative.ContainsKey("Declarative__EmulatorUrl"));
    }

    [Fact]
    public async Task Program_DataDirectory_DefaultsToRepoDotDataAndIsConfigurable()
    {
        var ct = TestContext.Current.CancellationToken;
        var custom = Directory.CreateTempSubdirectory("pipeline-model-").FullName;
        try
        {
            await using var defaults = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(OfflineArgs, ct).DefaultTimeout();
            await using var configured = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
                [.. OfflineArgs, $"--Pipeline:DataDirectory={custom}"], ct).DefaultTimeout();

            var repoRoot = AppHost.PipelineResourceExtensions.FindRepoRoot(AppContext.BaseDirectory);
            var storage = await EnvironmentAsync(defaults.Resources.OfType<ProjectResource>().Single(r => r.Name == "storage"), ct);
            Assert.Equal(Path.Combine(repoRoot, ".data", "storage"), storage["Storage__DataDirectory"]);
            var router = await EnvironmentAsync(configured.Resources.OfType<ProjectResource>().Single(r => r.Name == "router"), ct);
            Assert.Equal(Path.Combine(custom, "spool"), router["Router__Spool__Directory"]);
            Assert.DoesNotContain("/bin/", storage["Storage__DataDirectory"]!.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(custom, recursive: true);
        }
    }

    private static string[] WaitsFor(IResource resource) =>
        [.. resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name)];

    /// <summary>The values the resource's environment callbacks produce in run mode, before anything is started (expressions unevaluated).</summary>
    private static async Task<Dictionary<string, object>> EnvironmentAsync(IResourceWithEnvironment resource, CancellationToken ct)
    {
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), resource, cancellationToken: ct);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context).DefaultTimeout();
        }
        return context.EnvironmentVariables;
    }
}
