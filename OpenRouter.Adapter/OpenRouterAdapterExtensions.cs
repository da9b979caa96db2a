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
    /// <see cref="OpenRouterImageProvider"/>, plus the chat options (<c>OpenRouter:ImageOnlyModels</c>).
    /// </summary>
    public static IHostApplicationBuilder AddOpenRouterAdapter(this IHostApplicationBuilder builder)
    {
        builder.AddProviderAdapter<OpenRouterImageProvider>(SectionName, Defaults);
        builder.Services.AddSingleton(OpenRouterChatOptions.Load(builder.Configuration.GetSection(SectionName)));
        return builder;
    }
}
