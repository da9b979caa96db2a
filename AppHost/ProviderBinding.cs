using Microsoft.Extensions.Configuration;

namespace AppHost;

/// <summary>How the AppHost wires one provider adapter: its configuration section, its key and its emulator path.</summary>
/// <param name="Section">The adapter's configuration section (<c>OpenAI</c> → <c>OpenAI__ApiKey</c>, <c>OpenAI__BaseUrl</c>).</param>
/// <param name="ParameterName">The secret parameter holding the key (read from <c>Parameters:{name}</c>).</param>
/// <param name="KeyVariable">The conventional variable that also holds the key (e.g. <c>OPENAI_API_KEY</c>).</param>
/// <param name="EmulatorPath">The path under the emulator's URL that imitates this provider's API.</param>
public sealed record ProviderBinding(string Section, string ParameterName, string KeyVariable, string EmulatorPath)
{
    public static readonly ProviderBinding OpenAI = new("OpenAI", "openai-api-key", "OPENAI_API_KEY", "/v1");

    public static readonly ProviderBinding OpenRouter = new("OpenRouter", "openrouter-api-key", "OPENROUTER_API_KEY", "/api/v1");

    public static readonly IReadOnlyList<ProviderBinding> All = [OpenAI, OpenRouter];

    /// <summary><c>Parameters:{ParameterName}</c>.</summary>
    public string ParameterConfigurationKey => $"Parameters:{ParameterName}";

    /// <summary>The configuration key that holds a non-empty key (the parameter first, then the variable), or null.</summary>
    public string? KeyConfigurationKey(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[ParameterConfigurationKey]) ? ParameterConfigurationKey
        : !string.IsNullOrWhiteSpace(configuration[KeyVariable]) ? KeyVariable
        : null;
}
