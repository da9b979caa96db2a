using Pipeline.Contracts.Provider.V1;
using Grpc.Core;

namespace Pipeline.Providers.Internal;

/// <summary>
/// The key of a call: the caller's x-provider-key, else the configured one; none → UNAUTHENTICATED saying what to set.
/// An adapter without a key of its own (<see cref="ProviderDefaults.ApiKeyEnvironmentVariable"/> empty: ComfyUI, or the
/// HTTP adapter, whose chunks name their secrets) gets the caller's key or an empty string.
/// </summary>
internal sealed class ProviderApiKeyResolver(string? configuredKey, string section, ProviderDefaults defaults)
{
    public bool HasConfiguredKey => !string.IsNullOrEmpty(configuredKey);

    public string Resolve(Metadata requestHeaders)
    {
        if (requestHeaders.GetValue(ProviderAdapter.ProviderKeyHeader) is { } byok && !string.IsNullOrWhiteSpace(byok))
        {
            return byok.Trim();
        }
        if (!string.IsNullOrEmpty(configuredKey))
        {
            return configuredKey;
        }
        if (defaults.ApiKeyEnvironmentVariable.Length == 0)
        {
            return "";
        }
        throw new ProviderException(ProviderFailureKind.Unauthenticated,
            $"No {defaults.Provider} API key: set the {defaults.ApiKeyEnvironmentVariable} environment variable, '{section}:ApiKey' or " +
            $"'{section}:ApiKeyFile', or send the key in the '{ProviderAdapter.ProviderKeyHeader}' call metadata.");
    }
}
