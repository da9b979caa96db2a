using Gateway.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Proxy;

/// <summary>Registration and mapping of the reverse proxy.</summary>
public static class ProxyExtensions
{
    /// <summary>Adds YARP with the in-memory routes and clusters of <see cref="ProxyConfigFactory"/>.</summary>
    public static IServiceCollection AddGatewayProxy(this IServiceCollection services, GatewayOptions options)
    {
        services.AddSingleton<IProxyConfigProvider>(ProxyConfigFactory.Create(options));
        services.AddReverseProxy().AddServiceDiscoveryDestinationResolver();
        return services;
    }
}
