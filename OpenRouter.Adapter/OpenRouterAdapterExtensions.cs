using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenRouter.Adapter.Chat;
using Pipeline.Providers;

namespace OpenRouter.Adapter;

/// <summary>Registration of the OpenRouter adapter.</summary>
public static class OpenRouterAdapterExtensions
{
    /// <summary>The configuration section: <c>OpenRouter:BaseUrl</c>, <c>OpenRouter:ApiKey</c>, <c>OpenRouter:Models</c>, …</summary>
    public const string SectionName = "OpenRouter";

    /// <summary>The real API, the provider name and the key variable.</summary>
    public static readonly ProviderDefaults Defaults = new("openrouter", new Uri("https://openrouter.ai/api/v1"), "OPENROUTER_API_KEY");

    /// <summary>
    /// Adds the provider adapter (<see cref="ProviderAdapterExtensions.AddProviderAdapter{TProvider}"/>) around
    /// <see cref="OpenRouterImageProvider"/>, plus the chat options (<c>OpenRouter:ImageOnlyModels</c>), and lets Kestrel
    /// take a whole <see cref="ProviderAdapterExtensions.MaxRequestBytes"/> request.
    /// </summary>
    public static IHostApplicationBuilder AddOpenRouterAdapter(this IHostApplicationBuilder builder)
    {
        builder.AddProviderAdapter<OpenRouterImageProvider>(SectionName, Defaults);
        builder.Services.AddSingleton(OpenRouterChatOptions.Load(builder.Configuration.GetSection(SectionName)));
        // grpc-dotnet lifts Kestrel's 30 MB request body limit for client- and duplex-streaming calls only; Generate is
        // server streaming, so without this input images above 30 MB fail in Kestrel before gRPC's 64 MiB limit applies.
        // The 5 bytes are the gRPC message prefix (compressed flag and length).
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = ProviderAdapterExtensions.MaxRequestBytes + 5L);
        return builder;
    }
}
