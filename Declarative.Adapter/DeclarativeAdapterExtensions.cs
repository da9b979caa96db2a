using Declarative.Adapter.Polling;
using Declarative.Adapter.Templates;
using Microsoft.Extensions.Options;
using Pipeline.Providers;

namespace Declarative.Adapter;

/// <summary>Registration of the declarative adapter.</summary>
public static class DeclarativeAdapterExtensions
{
    /// <summary>
    /// The provider name when a chunk names none, and a placeholder base URL: every call brings its own endpoint and its own
    /// secrets, so there is no base URL or key of the adapter's own (<c>ApiKeyEnvironmentVariable</c> empty).
    /// </summary>
    public static readonly ProviderDefaults Defaults = new("declarative", new Uri("https://api.declarative.invalid/"), "");

    /// <summary>
    /// Adds the provider adapter (<see cref="ProviderAdapterExtensions.AddProviderAdapter{TProvider}"/>, section
    /// <c>Declarative</c>) around <see cref="DeclarativeImageProvider"/>, plus <see cref="DeclarativeOptions"/> (validated on
    /// start: <c>Declarative:EmulatorUrl</c>, <c>Declarative:Secrets:{NAME}</c>, <c>Declarative:CancelTimeout</c>,
    /// <c>Declarative:PollInterval</c>), the secret store, the call builder and the async job poller.
    /// </summary>
    public static IHostApplicationBuilder AddDeclarativeAdapter(this IHostApplicationBuilder builder)
    {
        builder.AddProviderAdapter<DeclarativeImageProvider>(DeclarativeOptions.SectionName, Defaults);
        var services = builder.Services;
        services.AddOptions<DeclarativeOptions>()
            .Bind(builder.Configuration.GetSection(DeclarativeOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeclarativeOptions>, DeclarativeOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DeclarativeOptions>>().Value);
        services.AddSingleton<SecretStore>();
        services.AddSingleton<CallBuilder>();
        // The poller shares the provider's typed client (no timeout, never drains an abandoned response, headers redacted in logs).
        services.AddTransient(sp => new AsyncJobPoller(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(DeclarativeImageProvider)),
            sp.GetRequiredService<DeclarativeOptions>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AsyncJobPoller>>()));
        return builder;
    }
}
