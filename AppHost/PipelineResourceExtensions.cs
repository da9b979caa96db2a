using System.Security.Cryptography;
using AppHost.Hosting;

namespace AppHost;

/// <summary>The Pipeline-specific pieces of the model that would not read as one line in Program.cs.</summary>
public static class PipelineResourceExtensions
{
    /// <summary>The key adapters send to the emulator, which accepts any key (its <c>Emulator:ApiKeys</c> is empty).</summary>
    public const string EmulatorApiKey = "sk-emulator-offline";

    /// <summary>Adds the provider emulator when <c>OPENAI_API_KEY</c> or <c>OPENROUTER_API_KEY</c> is unset; null when both are set.</summary>
    public static IResourceBuilder<ProjectResource>? AddProviderEmulatorWhenOffline(this DistributedApplicationBuilder builder)
    {
        var missing = new[] { "OPENAI_API_KEY", "OPENROUTER_API_KEY" }.Where(k => string.IsNullOrWhiteSpace(builder.Configuration[k])).ToList();
        if (missing.Count == 0)
        {
            return null;
        }
        builder.StartupMessages.Add(
            $"{string.Join(" and ", missing)} not set: images come from the offline provider emulator. " +
            "To use the real providers, set OPENAI_API_KEY / OPENROUTER_API_KEY and restart.");
        // No /health yet: any HTTP answer on its one endpoint means it is up.
        return builder.AddProject("emulator", "ProviderEmulator").WithHttpHealthCheck("/", statusCode: null);
    }

    /// <summary>
    /// Points the adapter's <c>{section}__BaseUrl</c> at the emulator (<c>{emulator}{emulatorPath}</c>, dummy key, loopback
    /// image downloads allowed) when
    /// <paramref name="apiKeyVariable"/> is unset, otherwise passes the real key through as <c>{section}__ApiKey</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithProvider(
        this IResourceBuilder<ProjectResource> adapter, string section, string apiKeyVariable, IResourceBuilder<ProjectResource>? emulator, string emulatorPath)
    {
        if (adapter.ApplicationBuilder.Configuration[apiKeyVariable] is { Length: > 0 } realKey)
        {
            return adapter.WithEnvironment($"{section}__ApiKey", realKey);
        }
        ArgumentNullException.ThrowIfNull(emulator);
        return adapter
            .WithReference(emulator)
            .WaitFor(emulator)
            .WithEnvironment($"{section}__BaseUrl", ReferenceExpression.Create($"{emulator.GetEndpoint("http")}{emulatorPath}"))
            .WithEnvironment($"{section}__ApiKey", EmulatorApiKey)
            // The emulator answers DALL·E with URLs on its own loopback address, which adapters refuse by default.
            .WithEnvironment($"{section}__Download__AllowPrivateNetworks", "true");
    }

    /// <summary>Stable user-facing ports: <c>Gateway:HttpPort</c> (default 8080) and <c>Gateway:GrpcPort</c> (default 8081), also <c>--gateway-http-port</c> / <c>--gateway-grpc-port</c>.</summary>
    public static IResourceBuilder<ProjectResource> WithGatewayPorts(this IResourceBuilder<ProjectResource> gateway)
    {
        var configuration = gateway.ApplicationBuilder.Configuration;
        return gateway
            .WithEndpoint("http", e => e.Port = int.Parse(configuration["Gateway:HttpPort"] ?? "8080", System.Globalization.CultureInfo.InvariantCulture))
            .WithEndpoint("grpc", e => e.Port = int.Parse(configuration["Gateway:GrpcPort"] ?? "8081", System.Globalization.CultureInfo.InvariantCulture))
            .WithExternalHttpEndpoints();
    }

    /// <summary>Gives the gateway the development API key as <c>Gateway__ApiKeys__0</c>: <c>PIPELINE_API_KEY</c>, else a generated <c>pk-dev-…</c>; printed at start.</summary>
    public static IResourceBuilder<ProjectResource> WithDevelopmentApiKey(this IResourceBuilder<ProjectResource> gateway)
    {
        var configured = gateway.ApplicationBuilder.Configuration["PIPELINE_API_KEY"];
        var key = string.IsNullOrWhiteSpace(configured) ? GenerateApiKey() : configured;
        gateway.ApplicationBuilder.StartupMessages.Add(string.IsNullOrWhiteSpace(configured)
            ? $"development API key (generated; set PIPELINE_API_KEY to choose one): {key}"
            : $"development API key (from PIPELINE_API_KEY): {key}");
        return gateway.WithEnvironment("Gateway__ApiKeys__0", key);
    }

    /// <summary><c>pk-dev-</c> + 32 random bytes, base64url without padding.</summary>
    internal static string GenerateApiKey() =>
        "pk-dev-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
