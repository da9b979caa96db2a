using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace AppHost.Tests.Security;

/// <summary>The internal secret and the loopback-only resources in the model Program.cs declares (nothing started).</summary>
public sealed class InternalSecretModelTests
{
    private static readonly string[] OfflineArgs = ["--OPENAI_API_KEY=", "--OPENROUTER_API_KEY=", "--PIPELINE_API_KEY="];

    private static readonly string[] FleetServices = ["storage", "openai", "openrouter", "router", "gateway"];

    [Fact]
    public async Task Program_NoSecretSet_EveryServiceGetsTheSameGeneratedSecretParameterAndTheEmulatorNone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(OfflineArgs, ct).DefaultTimeout();

        var projects = builder.Resources.OfType<ProjectResource>().ToDictionary(r => r.Name);
        var parameters = new List<ParameterResource>();
        foreach (var service in FleetServices)
        {
            var env = await EnvironmentAsync(projects[service], ct);
            parameters.Add(Assert.IsType<ParameterResource>(env[AppHost.InternalSecretResourceExtensions.EnvironmentVariable]));
        }
        var secret = Assert.Single(parameters.Distinct());
        Assert.Equal("internal-secret", secret.Name);
        Assert.True(secret.Secret);
        var value = await secret.GetValueAsync(ct).AsTask().DefaultTimeout();
        Assert.NotNull(value);
        Assert.True(value.Length >= 32, $"generated secret has {value.Length} characters");
        Assert.False((await EnvironmentAsync(projects["emulator"], ct)).ContainsKey(AppHost.InternalSecretResourceExtensions.EnvironmentVariable));
    }

    [Fact]
    public async Task Program_SecretParameterSet_ServicesGetThatValue()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [.. OfflineArgs, "--Parameters:internal-secret=chosen-internal-secret-0123456789"], ct).DefaultTimeout();

        var router = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "router");
        var secret = Assert.IsType<ParameterResource>((await EnvironmentAsync(router, ct))[AppHost.InternalSecretResourceExtensions.EnvironmentVariable]);

        Assert.Equal("chosen-internal-secret-0123456789", await secret.GetValueAsync(ct).AsTask().DefaultTimeout());
    }

    [Fact]
    public async Task Program_EmulatorAndDashboard_OnLoopbackOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(OfflineArgs, ct).DefaultTimeout();

        var emulator = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "emulator");
        Assert.All(emulator.Annotations.OfType<EndpointAnnotation>(), e =>
        {
            Assert.False(e.IsExternal, $"emulator endpoint {e.Name} is external");
            Assert.Contains(e.TargetHost, new[] { "localhost", "127.0.0.1" });
        });
        // The dashboard's UI and OTLP addresses come from the AppHost's launch profile.
        var launchSettings = Path.Combine(AppHost.PipelineResourceExtensions.FindRepoRoot(AppContext.BaseDirectory), "AppHost", "Properties", "launchSettings.json");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(launchSettings, ct).DefaultTimeout());
        foreach (var profile in json.RootElement.GetProperty("profiles").EnumerateObject())
        {
            Assert.StartsWith("http://127.0.0.1:", profile.Value.GetProperty("applicationUrl").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("http://127.0.0.1:", profile.Value.GetProperty("environmentVariables").GetProperty("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL").GetString(), StringComparison.Ordinal);
        }
    }

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
