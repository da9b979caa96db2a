using Declarative.Adapter.Tests.TestSupport;
using Grpc.Core;
using ProviderEmulator.Hosting;

namespace Declarative.Adapter.Tests.Templates;

/// <summary>Where a chunk's secrets come from, and that they never show in logs or errors.</summary>
public sealed class SecretTests
{
    private const string Configured = "sk-stability-configured-0123456789";
    private const string Caller = "sk-stability-caller-9876543210";

    [Fact]
    public async Task Generate_SecretFromConfiguration_IsSentToTheRealEndpointAndNeverLogged()
    {
        // No emulator routing: the chunk's endpoint is the emulator's host-prefixed Stability route itself.
        await using var host = await AdapterHost.StartAsync(new Dictionary<string, string?>
        {
            ["Declarative:EmulatorUrl"] = null,
            ["Declarative:Secrets:STABILITY_API_KEY"] = Configured,
        });
        var chunk = ChunkFiles.Load(ChunkFiles.Stability);
        chunk["api_config"]!["endpoint"] = new Uri(host.Emulator.BaseAddress, "/api.stability.ai/v2beta/stable-image/generate/core").ToString();

        var (_, status) = await host.GenerateAsync(ChunkFiles.Request(chunk));

        StatusAssert.Ok(status);
        Assert.Equal(EmulatorEvent.KeyIdOf(Configured), Assert.Single(host.Started("/api.stability.ai/")).KeyId);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Text.Contains(Configured, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Generate_CallersKey_FillsTheSecretAndIsNeverLogged()
    {
        await using var host = await AdapterHost.StartAsync();

        var (_, status) = await host.GenerateAsync(ChunkFiles.Request(ChunkFiles.Stability), AdapterHost.WithKey(Caller));

        StatusAssert.Ok(status);
        Assert.Equal(EmulatorEvent.KeyIdOf(Caller), Assert.Single(host.Started("/api.stability.ai/")).KeyId);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Text.Contains(Caller, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Generate_SecretMissingAndNoEmulator_UnauthenticatedNamingTheVariableAndTheConfigKey()
    {
        await using var host = await AdapterHost.StartAsync(new Dictionary<string, string?> { ["Declarative:EmulatorUrl"] = null });

        var (frames, status) = await host.GenerateAsync(ChunkFiles.Request(ChunkFiles.Flux));

        Assert.Empty(frames);
        StatusAssert.Code(StatusCode.Unauthenticated, status);
        Assert.Contains("REPLICATE_API_TOKEN", status.Message, StringComparison.Ordinal);
        Assert.Contains("'Declarative:Secrets:REPLICATE_API_TOKEN'", status.Message, StringComparison.Ordinal);
        Assert.Empty(host.Outgoing.All);
    }

    [Fact]
    public async Task Generate_ProviderRejectsTheKey_ErrorNamesNoKey()
    {
        await using var host = await AdapterHost.StartAsync();
        var chunk = ChunkFiles.Load(ChunkFiles.Stability).WithFault("status=401");

        var (_, status) = await host.GenerateAsync(ChunkFiles.Request(chunk), AdapterHost.WithKey(Caller));

        StatusAssert.Code(StatusCode.Unauthenticated, status);
        Assert.DoesNotContain(Caller, StatusAssert.Describe(status), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Text.Contains(Caller, StringComparison.Ordinal));
    }
}
