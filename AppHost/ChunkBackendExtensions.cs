using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace AppHost;

/// <summary>
/// The adapters that execute chunks as written: the declarative adapter (any HTTP API an <c>api_output_chunk</c>
/// describes) and ComfyUI (the <c>output_chunk</c> workflows of the eco mode).
/// </summary>
public static partial class ChunkBackendExtensions
{
    /// <summary>The AppHost setting naming a real ComfyUI server, e.g. <c>http://127.0.0.1:8188</c>.</summary>
    public const string ComfyUIUrlKey = "COMFYUI_URL";

    /// <summary>Whether a real ComfyUI server is configured (<see cref="ComfyUIUrlKey"/>).</summary>
    public static bool HasComfyUI(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[ComfyUIUrlKey]);

    /// <summary>
    /// Gives the declarative adapter the secrets its chunks' templates name (<c>{{STABILITY_API_KEY}}</c>): every
    /// AppHost setting named like <c>*_API_KEY</c> or <c>*_API_TOKEN</c> that has a value (the fleet's own <c>PIPELINE_*</c>
    /// keys excepted), as a secret parameter passed as
    /// <c>Declarative__Secrets__{NAME}</c>. With the emulator running, <c>Declarative__EmulatorUrl</c> points at it: a chunk
    /// whose secret is not set is then served by the emulator's imitation of its API.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDeclarativeProviders(
        this IResourceBuilder<ProjectResource> adapter, IResourceBuilder<ProjectResource>? emulator)
    {
        var builder = adapter.ApplicationBuilder;
        var names = builder.Configuration.AsEnumerable()
            .Where(e => SecretNamePattern().IsMatch(e.Key) && !string.IsNullOrWhiteSpace(e.Value)
                // The fleet's own keys (PIPELINE_API_KEY, PIPELINE_API_KEYS) are never a provider's secret.
                && !e.Key.StartsWith("PIPELINE_", StringComparison.Ordinal))
            .Select(e => e.Key).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var name in names)
        {
            var parameter = builder.AddParameterFromConfiguration($"declarative-{name.ToLowerInvariant().Replace('_', '-')}", name, secret: true);
            adapter.WithEnvironment($"Declarative__Secrets__{name}", parameter);
        }
        StartupBanner.Add(builder, names.Count == 0
            ? "declarative providers: no *_API_KEY / *_API_TOKEN set; their chunks are served by the emulator"
            : $"declarative providers: secrets {string.Join(", ", names)} set; chunks naming another secret are served by the emulator");
        if (emulator is null)
        {
            return adapter;
        }
        return adapter
            .WithReference(emulator)
            .WaitFor(emulator)
            .WithEnvironment("Declarative__EmulatorUrl", emulator.GetEndpoint("http"))
            // The emulator's Replicate-style API answers with image URLs on its own loopback address.
            .WithEnvironment("Declarative__Download__AllowPrivateNetworks", "true");
    }

    /// <summary>
    /// Points the ComfyUI adapter at <see cref="ComfyUIUrlKey"/>, or, when it is not set, at the emulator's ComfyUI
    /// (<c>{emulator}/comfyui</c>).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithComfyUI(this IResourceBuilder<ProjectResource> adapter, IResourceBuilder<ProjectResource>? emulator)
    {
        var builder = adapter.ApplicationBuilder;
        if (HasComfyUI(builder.Configuration))
        {
            return adapter.WithEnvironment("ComfyUI__BaseUrl", builder.Configuration[ComfyUIUrlKey]!.Trim());
        }
        ArgumentNullException.ThrowIfNull(emulator);
        return adapter
            .WithReference(emulator)
            .WaitFor(emulator)
            .WithEnvironment("ComfyUI__BaseUrl", ReferenceExpression.Create($"{emulator.GetEndpoint("http")}/comfyui"));
    }

    [GeneratedRegex("^[A-Z][A-Z0-9_]*_API_(KEY|TOKEN)$")]
    private static partial Regex SecretNamePattern();
}
