using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Router.Service.Catalogue;

/// <summary>Registers the catalogue.</summary>
public static class CatalogueExtensions
{
    /// <summary>
    /// Adds <see cref="CatalogueOptions"/> (section <c>Catalogue</c>, validated on start) and the singleton
    /// <see cref="CatalogueProvider"/>, which loads the catalogue on start (refusing to start when it is invalid)
    /// and reloads it when its files change.
    /// </summary>
    public static IHostApplicationBuilder AddCatalogue(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CatalogueOptions>()
            .Bind(builder.Configuration.GetSection(CatalogueOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CatalogueOptions>, CatalogueOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CatalogueProvider>();
        builder.Services.AddHostedService(services => services.GetRequiredService<CatalogueProvider>());
        return builder;
    }
}
