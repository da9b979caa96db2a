namespace Pipeline.Providers;

/// <summary>What an adapter tells <see cref="ProviderAdapterExtensions.AddProviderAdapter{TProvider}"/> about its provider.</summary>
/// <param name="Provider">Provider name used in ListModels, spans (<c>gen_ai.system</c>) and error details, e.g. "openai".</param>
/// <param name="BaseUrl">The real API's base URL, used when <c>{Section}:BaseUrl</c> is not set.</param>
/// <param name="ApiKeyEnvironmentVariable">Environment variable holding the key when <c>{Section}:ApiKey</c> is not set.</param>
public sealed record ProviderDefaults(string Provider, Uri BaseUrl, string ApiKeyEnvironmentVariable);
