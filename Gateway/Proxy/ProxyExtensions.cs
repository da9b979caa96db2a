using Gateway.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Proxy;

/// <summary>Registration and mapping of the reverse proxy.</summary>
public static class ProxyExtensions
{
    /// <summary>
    /// Adds YARP with the in-memory routes and clusters of <see cref="ProxyConfigFactory"/>, each forwarded request
    /// carrying the fleet's internal secret (<see cref="InternalSecretTransform"/>) and the caller's headers (<see cref="CallerHeadersTransform"/>). The gateway is the public front
    /// door: its own requests are checked for API keys, not for the internal secret.
    /// </summary>
    public static IServiceCollection AddGatewayProxy(this IServiceCollection services, GatewayOptions options)
    {
        services.AddSingleton<IProxyConfigProvider>(ProxyConfigFactory.Create(options));
        services.AddReverseProxy().AddServiceDiscoveryDestinationResolver().AddInternalSecretTransform().AddCallerHeadersTransform();
        services.AddInternalSecret().AddPublicFrontDoor();
        return services;
    }
}
