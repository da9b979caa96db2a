namespace AppHost.Tests.Deploy;

/// <summary>
/// Where the cluster knowingly differs from the AppHost's manifest, each with its reason. Anything not listed here must
/// match, and the tests say which entry to add when a difference is meant.
/// </summary>
internal static class ClusterDifferences
{
    /// <summary>The provider emulator: it stands in for providers offline; a cluster calls the real ones.</summary>
    public const string Emulator = "emulator";

    /// <summary>
    /// Aspire's publisher adds an <c>https</c> binding to every project (publish mode only) for an ingress that ends TLS. It
    /// shares another binding's target port, and no Kestrel endpoint listens on it: in the cluster TLS ends at the ingress.
    /// </summary>
    public const string PublishOnlyBinding = "https";

    /// <summary>Variables whose manifest value is a path on the AppHost's machine; in the cluster, a path on a mounted volume.</summary>
    public static readonly IReadOnlySet<string> PathVariables = new HashSet<string>(StringComparer.Ordinal)
    {
        "Storage__DataDirectory", "Router__Spool__Directory", "Catalogue__Path",
    };

    /// <summary>Variables a Deployment sets that the manifest does not name: (deployment, variable) → reason.</summary>
    public static readonly IReadOnlyDictionary<(string Deployment, string Variable), string> ClusterOnly =
        new Dictionary<(string, string), string>
        {
            [("storage", "Storage__S3__Region")] =
                "AWS signs for a region (default us-east-1); the AppHost's s3rver ignores it, so the model does not name it",
        };

    /// <summary>
    /// Why <paramref name="project"/>'s manifest variable <paramref name="name"/> needs no counterpart in its Deployment,
    /// or null when it does.
    /// </summary>
    public static string? WhyNotDeployed(ManifestResource project, string name, string value)
    {
        var placeholders = AspireManifest.Placeholders(value);
        if (placeholders.Any(p => p.Resource == Emulator))
        {
            return "points at the provider emulator, which is not deployed (offline only)";
        }
        if (placeholders.Count > 0 && placeholders.All(p => p.Path.StartsWith($"bindings.{PublishOnlyBinding}.", StringComparison.Ordinal)))
        {
            return $"points at the publish-only '{PublishOnlyBinding}' binding (see {nameof(PublishOnlyBinding)})";
        }
        // Aspire 13 gives every reference twice: services__{name}__{endpoint}__0 for .NET service discovery, and
        // {NAME}_{ENDPOINT} for other languages. Every Pipeline service is .NET and reads only the first.
        if (placeholders is [{ Path: var path } only] && only.Text == value && path.StartsWith("bindings.", StringComparison.Ordinal)
            && path.EndsWith(".url", StringComparison.Ordinal)
            && name == $"{only.Resource}_{path["bindings.".Length..^".url".Length]}".ToUpperInvariant())
        {
            return $"duplicates services__{only.Resource}__…__0 for non-.NET clients; no Pipeline service reads it";
        }
        // WithReference(connection string) also writes ConnectionStrings__{name with '_' for '-'} for platforms whose
        // variable names cannot hold '-'. Kubernetes' can, and the services read ConnectionStrings:{name}.
        if (name.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && project.Env.Keys.Any(other =>
                other != name && other.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && other.Replace('-', '_') == name && project.Env[other] == value))
        {
            return "copies the ConnectionStrings__ variable spelt with '-' for platforms whose variable names cannot hold it";
        }
        return project.Name == Emulator ? "the emulator is not deployed" : null;
    }
}
