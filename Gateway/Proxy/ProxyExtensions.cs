using Gateway.Configuration;
using Pipeline.ServiceDefaults.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Proxy;

/// <summary>Registration and mapping of the reverse proxy.</summary>
public static class ProxyExtensions
{
    /// <summary>
    /// Adds YARP with the in-memory routes and clusters of <see cref="ProxyConfigFactory"/>, each forwarded request
    /// carrying the fleet's internal secret (<see cref="InternalSecretTransform"/>) and the caller's headers (<see cref="CallerHeadersTransform"/>). The gateway is the public front
    /// door: its own requests are checked for API keys, not for the internal secret. Each cluster's calls go round
    /// <c>Pipeline:ConnectionsPerService</c> connections, so replicas behind a connection balancer share them.
    /// </summary>
    public static IServiceCollection AddGatewayProxy(this IServiceCollection services, GatewayOptions options, IConfiguration configuration)
    {
        services.AddSingleton<IProxyConfigProvider>(ProxyConfigFactory.Create(options));
        services.AddSingleton<IForwarderHttpClientFactory>(new SpreadingForwarderHttpClientFactory(ConnectionSpread.From(configuration)));
        services.AddReverseProxy().AddServiceDiscoveryDestinationResolver().AddInternalSecretTransform().AddCallerHeadersTransform();
        services.AddInternalSecret().AddPublicFrontDoor();
        return services;
    }
}
