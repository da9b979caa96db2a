using Microsoft.Extensions.Configuration;

namespace Pipeline.ServiceDefaults;

/// <summary>
/// Whether service discovery knows an endpoint of a referenced service: <c>services:{service}:{endpoint}:{i}</c>, which
/// the AppHost sets for every <c>WithReference</c>.
/// </summary>
public static class ServiceAddresses
{
    /// <summary>True when <paramref name="endpoint"/> of <paramref name="service"/> has at least one address.</summary>
    public static bool IsConfigured(IConfiguration configuration, string service, string endpoint)
    {
        var section = configuration.GetSection($"services:{service}:{endpoint}");
        return !string.IsNullOrWhiteSpace(section.Value) || section.GetChildren().Any(address => !string.IsNullOrWhiteSpace(address.Value));
    }

    /// <summary>The error for a missing address, naming the variable to set.</summary>
    public static string Missing(string service, string endpoint) =>
        $"No address for service '{service}' endpoint '{endpoint}'. Set services__{service}__{endpoint}__0 (the AppHost does " +
        $"this for every WithReference), e.g. services__{service}__{endpoint}__0=http://127.0.0.1:5000.";
}
