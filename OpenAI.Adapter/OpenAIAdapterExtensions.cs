using Pipeline.Providers;

namespace OpenAI.Adapter;

/// <summary>Registration of the OpenAI adapter.</summary>
public static class OpenAIAdapterExtensions
{
    /// <summary>Configuration section: <c>OpenAI:BaseUrl</c>, <c>OpenAI:ApiKey</c>, <c>OpenAI:ApiKeyFile</c>, <c>OpenAI:Models</c>, …</summary>
    public const string SectionName = "OpenAI";

    /// <summary>Provider name "openai"; the real API at https://api.openai.com/v1; the key from <c>OPENAI_API_KEY</c>.</summary>
    public static readonly ProviderDefaults Defaults = new("openai", new Uri("https://api.openai.com/v1"), "OPENAI_API_KEY");

    /// <summary>
    /// Adds the shared provider adapter (options, key, limiter, retries, gRPC service, provider HttpClient) around
    /// <see cref="OpenAIImageProvider"/>.
    /// </summary>
    public static IHostApplicationBuilder AddOpenAIAdapter(this IHostApplicationBuilder builder) =>
        builder.AddProviderAdapter<OpenAIImageProvider>(SectionName, Defaults);
}
