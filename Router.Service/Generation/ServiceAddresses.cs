using Grpc.Core;

namespace Router.Service.Generation;

/// <summary>
/// Guards the typed clients of the adapters and storage: a service whose <c>grpc</c> endpoint has no configured address
/// (<c>services:{name}:grpc:0</c>, which the AppHost sets for every reference) fails as UNAVAILABLE naming the missing
/// key, before any connection is tried. Without this guard service discovery passes the logical name through to DNS
/// (<c>storage:80</c>), which fails late with the library's wording, leaves loopback, or reaches whichever host
/// happens to carry that name.
/// </summary>
public sealed class ServiceAddresses(IConfiguration configuration)
{
    /// <summary>Throws an <see cref="RpcException"/> with UNAVAILABLE unless <paramref name="service"/>'s <c>grpc</c> endpoint has an address.</summary>
    public void EnsureConfigured(string service)
    {
        var endpoint = configuration.GetSection($"services:{service}:grpc");
        if (!string.IsNullOrWhiteSpace(endpoint.Value) || endpoint.GetChildren().Any(address => !string.IsNullOrWhiteSpace(address.Value)))
        {
            return;
        }
        throw new RpcException(new Status(StatusCode.Unavailable,
            $"No address for service '{service}' endpoint 'grpc'. Set services__{service}__grpc__0 (the AppHost does this " +
            $"for every WithReference), e.g. services__{service}__grpc__0=http://127.0.0.1:5000."));
    }
}
