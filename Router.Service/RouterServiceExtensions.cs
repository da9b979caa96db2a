using Router.Service.Api;
using Router.Service.Catalogue;
using Router.Service.Generation;
using Router.Service.Spool;

namespace Router.Service;

/// <summary>Registration of Router.Service.</summary>
public static class RouterServiceExtensions
{
    /// <summary>Adds the catalogue, the generation pipeline, the spool, the adapters' price list and ProblemDetails for the HTTP API.</summary>
    public static IHostApplicationBuilder AddRouterServices(this IHostApplicationBuilder builder)
    {
        builder.AddCatalogue();
        builder.AddGeneration();
        builder.AddSpool();
        builder.Services.AddSingleton<ProviderPriceList>();
        builder.Services.AddProblemDetails();
        return builder;
    }
}
