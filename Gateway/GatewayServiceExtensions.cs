using Gateway.Authentication;
using Gateway.Configuration;
using Gateway.OpenAI;
using Gateway.Proxy;
using Gateway.RateLimiting;
using Gateway.RequestLimits;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Grpc.Health.V1;
using Grpc.Reflection;
using Grpc.Reflection.V1;
using Pipeline.Contracts.ImageGen.V1;

namespace Gateway;

/// <summary>Registration and request pipeline of the gateway.</summary>
public static class GatewayServiceExtensions
{
    /// <summary>
    /// Adds the gateway: validated <see cref="GatewayOptions"/> (throws <see cref="GatewayConfigurationException"/>
    /// listing every error, missing service discovery included), API key authentication, per-key rate limits, the
    /// OpenAI-compatible API and YARP with routes to the router and storage.
    /// </summary>
    public static WebApplicationBuilder AddGatewayServices(this WebApplicationBuilder builder)
    {
        var options = GatewayOptionsLoader.Load(builder.Configuration);
        // Kestrel answers an over-long request line itself, with an empty 414; a generous line lets the gateway refuse
        // long URLs with its own enveloped 414 (RequestSizeLimitMiddleware.MaxUrlLength) instead.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestLineSize = 64 * 1024);
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton<ApiKeyStore>();
        services.AddAuthentication(ApiKeyDefaults.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyDefaults.Policy, policy => policy.AddAuthenticationSchemes(ApiKeyDefaults.Scheme).RequireAuthenticatedUser());
        services.AddGatewayRateLimits(options, builder.Configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddServiceGrpcClient<ImageGeneration.ImageGenerationClient>("router", BackendAddresses.MaxRouterMessageBytes);
        services.AddSingleton<RouterCatalogue>();
        services.AddSingleton<ImageGenerationHandler>();
        services.AddSingleton<ModelsHandler>();
        services.AddGatewayProxy(options, builder.Configuration);
        // The gateway serves only health and reflection itself; every other gRPC service belongs to YARP's routes.
        // Without this, grpc-dotnet's catch-all "unimplemented service" endpoint would answer ListConfigs and GetRun
        // (YARP's catch-all route has a higher order) with UNIMPLEMENTED, before authentication.
        services.AddGrpc(grpc => grpc.IgnoreUnknownServices = true);
        // Reflection on the public port describes what a client can call there: the router's ImageGeneration (forwarded
        // by YARP) and the gateway's own health. Registered after the service defaults, so these win.
        Google.Protobuf.Reflection.ServiceDescriptor[] described =
            [ImageGeneration.Descriptor, Health.Descriptor, ServerReflection.Descriptor, Grpc.Reflection.V1Alpha.ServerReflection.Descriptor];
        services.AddSingleton(new ReflectionServiceImpl(described));
        services.AddSingleton(new ReflectionV1ServiceImpl(described));
        return builder;
    }

    /// <summary>
    /// The middleware, in order: the web page (public), routing, API key, rate limits, body size, gRPC framing (an
    /// unknown method or a malformed message is answered as a gRPC server would). Health endpoints and the page need
    /// no key; every API route requires one.
    /// </summary>
    public static WebApplication UseGatewayMiddleware(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseMiddleware<RequestSizeLimitMiddleware>();
        app.UseMiddleware<GrpcRequestGuard>();
        var options = app.Services.GetRequiredService<GatewayOptions>();
        GatewayLog.Ready(app.Logger, options.Keys.Count, options.Keys.Select(k => k.Caller.Tenant).Distinct().Count(), options.Backends.RouterGrpc, options.Backends.RouterHttp, options.Backends.StorageHttp);
        return app;
    }

    /// <summary>Maps YARP's routes (gRPC ImageGeneration, <c>/api/</c>, <c>/images/{id}</c>).</summary>
    public static WebApplication MapGatewayProxy(this WebApplication app)
    {
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(BackendLossTrailers.WriteAsync);
            proxy.Use(ProxyErrorResponses.WriteAsync);
        });
        return app;
    }
}
