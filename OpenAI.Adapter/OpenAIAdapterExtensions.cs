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
    /// Adds the shared provider adapter (options, key, limiter, retries, gRPC service) around <see cref="OpenAIImageProvider"/>.
    /// The provider's HttpClient never drains an abandoned response: a cancelled call closes the connection, so the
    /// provider sees the disconnect and stops generating.
    /// </summary>
    public static IHostApplicationBuilder AddOpenAIAdapter(this IHostApplicationBuilder builder)
    {
        builder.AddProviderAdapter<OpenAIImageProvider>(SectionName, Defaults);
        builder.Services.AddHttpClient<OpenAIImageProvider>()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { MaxResponseDrainSize = 0 });
        return builder;
    }
}
