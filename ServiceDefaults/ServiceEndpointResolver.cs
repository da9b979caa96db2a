using Microsoft.Extensions.Configuration;

namespace Pipeline.ServiceDefaults;

/// <summary>
/// Resolves a referenced service's address from the configuration the AppHost injects, the same keys
/// Microsoft.Extensions.ServiceDiscovery reads: <c>services:{name}:{endpoint}:{i}</c> (endpoint = name such as
/// <c>grpc</c>/<c>http</c>, or the URI scheme in Aspire's newer form).
/// </summary>
public sealed class ServiceEndpointResolver(IConfiguration configuration)
{
    /// <summary>The first address of <paramref name="endpoint"/> of <paramref name="service"/>; throws naming the missing key.</summary>
    public Uri Resolve(string service, string endpoint = "http")
    {
        var section = configuration.GetSection($"services:{service}:{endpoint}");
        var value = section["0"] ?? section.Value;
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"No address for service '{service}' endpoint '{endpoint}'. Set services__{service}__{endpoint}__0 " +
                $"(the AppHost does this for every WithReference), e.g. services__{service}__{endpoint}__0=http://127.0.0.1:5000.");
        }
        return new Uri(value);
    }
}
