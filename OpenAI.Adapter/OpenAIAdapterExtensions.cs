using Microsoft.AspNetCore.Server.Kestrel.Core;
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
    /// <see cref="OpenAIImageProvider"/>, and lets Kestrel take a whole <see cref="ProviderAdapterExtensions.MaxRequestBytes"/> request.
    /// </summary>
    public static IHostApplicationBuilder AddOpenAIAdapter(this IHostApplicationBuilder builder)
    {
        builder.AddProviderAdapter<OpenAIImageProvider>(SectionName, Defaults);
        // grpc-dotnet lifts Kestrel's 30 MB request body limit for client- and duplex-streaming calls only; Generate is
        // server streaming, so without this an edit above 30 MB fails in Kestrel before gRPC's 64 MiB limit applies.
        // The 5 bytes are the gRPC message prefix (compressed flag and length).
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = ProviderAdapterExtensions.MaxRequestBytes + 5L);
        return builder;
    }
}
