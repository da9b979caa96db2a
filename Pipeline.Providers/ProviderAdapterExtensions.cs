using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Providers.Internal;

namespace Pipeline.Providers;

/// <summary>Registration and mapping of a provider adapter.</summary>
public static class ProviderAdapterExtensions
{
    /// <summary>
    /// Adds a provider adapter around <typeparamref name="TProvider"/>: validated <see cref="ProviderOptions"/> from
    /// <paramref name="sectionName"/> (throws <see cref="ProviderConfigurationException"/> listing every error), the key resolver,
    /// the concurrency limiter, the retry policy, the image normaliser with its download client, the gRPC service with
    /// <see cref="ProviderStatusMapper.Map"/>, and a typed HttpClient for <typeparamref name="TProvider"/> (BaseAddress =
    /// BaseUrl with a trailing slash, configured Headers, no timeout: deadlines rule).
    /// </summary>
    public static IHostApplicationBuilder AddProviderAdapter<TProvider>(this IHostApplicationBuilder builder, string sectionName, ProviderDefaults defaults)
        where TProvider : class, IImageProvider
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(defaults);
        var options = ProviderOptionsValidator.Load(builder.Configuration, sectionName, defaults, builder.Environment.ContentRootPath);
        var services = builder.Services;
        services.AddSingleton(defaults);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new ProviderApiKeyResolver(options.ApiKey, sectionName, defaults));
        services.AddSingleton<ProviderConcurrencyLimiter>();
        services.AddSingleton<ProviderRetryPolicy>();

        services.AddHttpClient(ImageNormalizer.DownloadClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => ImageNormalizer.CreateDownloadHandler(options.Download))
            .RedactLoggedHeaders(_ => true);
        services.AddSingleton(sp => new ImageNormalizer(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(ImageNormalizer.DownloadClientName), options.Download));

        services.AddHttpClient<TProvider>(client =>
        {
            client.BaseAddress = WithTrailingSlash(options.BaseUrl!);
            client.Timeout = Timeout.InfiniteTimeSpan;
            client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            foreach (var (name, value) in options.Headers)
            {
                client.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
            }
        })
            // Never drain an abandoned response: a cancelled call closes its connection, so the provider sees the
            // disconnect and stops generating (a drained response would end normally on the provider's side).
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { MaxResponseDrainSize = 0 })
            .RedactLoggedHeaders(_ => true);
        services.AddTransient<IImageProvider>(sp => sp.GetRequiredService<TProvider>());
        // Edit requests carry every input image and the mask: accept what the router's channel sends (64 MiB).
        services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = MaxRequestBytes);
        services.AddRpcExceptionMapper(ProviderStatusMapper.Map);
        return builder;
    }

    /// <summary>The largest <c>ProviderRequest</c> an adapter accepts: 64 MiB, the router's channel limit.</summary>
    public const int MaxRequestBytes = 64 * 1024 * 1024;

    /// <summary>Maps the <c>provider.v1.ProviderAdapter</c> gRPC service (Generate, ListModels).</summary>
    public static WebApplication MapProviderAdapter(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcService<ProviderAdapterService>();
        var options = app.Services.GetRequiredService<ProviderOptions>();
        var defaults = app.Services.GetRequiredService<ProviderDefaults>();
        var keys = app.Services.GetRequiredService<ProviderApiKeyResolver>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ProviderAdapterExtensions).FullName!);
        ProviderLog.Started(logger, defaults.Provider, options.Models.Count, options.BaseUrl!.GetLeftPart(UriPartial.Path), keys.HasConfiguredKey,
            options.MaxConcurrentCalls, options.QueueLimit);
        return app;
    }

    private static Uri WithTrailingSlash(Uri url) =>
        url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
}
