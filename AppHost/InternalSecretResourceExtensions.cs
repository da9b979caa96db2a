namespace AppHost;

/// <summary>The one secret the fleet's services share, so that internal services accept calls from the fleet only.</summary>
public static class InternalSecretResourceExtensions
{
    /// <summary>The secret parameter's name (configuration <c>Parameters:internal-secret</c> sets it).</summary>
    public const string ParameterName = "internal-secret";

    /// <summary>The environment variable every service reads it from (configuration key <c>Pipeline:InternalSecret</c>).</summary>
    public const string EnvironmentVariable = "Pipeline__InternalSecret";

    /// <summary>
    /// Adds the secret parameter <c>internal-secret</c>: <c>Parameters:internal-secret</c> when set, otherwise 32 random
    /// letters and digits generated at each start (no setup, nothing persisted; every service gets the same value).
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddInternalSecret(this IDistributedApplicationBuilder builder) =>
        builder.AddParameter(ParameterName, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: false);

    /// <summary>Passes the fleet's internal secret to <paramref name="service"/> as <c>Pipeline__InternalSecret</c>.</summary>
    public static IResourceBuilder<ProjectResource> WithInternalSecret(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ParameterResource> secret) =>
        service.WithEnvironment(EnvironmentVariable, secret);
}
