using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AppHost.Tests.Deploy;

/// <summary>
/// The AppHost's model as its manifest publisher writes it (<c>aspire-manifest.json</c>): resources with their type, and
/// for projects their bindings and environment (values with placeholders such as <c>{router.bindings.grpc.url}</c>).
/// </summary>
internal sealed partial class AspireManifest
{
    private AspireManifest(IReadOnlyDictionary<string, ManifestResource> resources) => Resources = resources;

    public IReadOnlyDictionary<string, ManifestResource> Resources { get; }

    public IEnumerable<ManifestResource> Projects => Resources.Values.Where(r => r.Type == "project.v0");

    public static AspireManifest Parse(string json)
    {
        var resources = JsonNode.Parse(json)!["resources"]!.AsObject();
        return new(resources.ToDictionary(r => r.Key, r => ManifestResource.From(r.Key, r.Value!.AsObject()), StringComparer.Ordinal));
    }

    /// <summary>Every <c>{resource.path}</c> placeholder of <paramref name="value"/>, in order.</summary>
    public static IReadOnlyList<Placeholder> Placeholders(string value) =>
        [.. PlaceholderPattern().Matches(value).Select(m => new Placeholder(m.Value, m.Groups[1].Value, m.Groups[2].Value))];

    /// <summary>Whether <paramref name="placeholder"/> stands for a secret: a secret parameter's value or a connection string.</summary>
    public bool IsSecret(Placeholder placeholder) =>
        placeholder.Path == "connectionString"
        || (placeholder.Path == "value" && Resources.TryGetValue(placeholder.Resource, out var r) && r.IsSecretParameter);

    [GeneratedRegex(@"\{([^.{}]+)\.([^{}]+)\}")]
    private static partial Regex PlaceholderPattern();
}

/// <summary>One placeholder: <c>{storage.bindings.grpc.url}</c> is resource <c>storage</c>, path <c>bindings.grpc.url</c>.</summary>
internal sealed record Placeholder(string Text, string Resource, string Path);

/// <summary>One resource of the manifest.</summary>
internal sealed record ManifestResource(
    string Name, string Type, IReadOnlyDictionary<string, string> Env, IReadOnlyDictionary<string, ManifestBinding> Bindings, bool IsSecretParameter)
{
    public static ManifestResource From(string name, JsonObject resource)
    {
        var env = resource["env"]?.AsObject().ToDictionary(e => e.Key, e => e.Value!.GetValue<string>(), StringComparer.Ordinal)
            ?? new Dictionary<string, string>(StringComparer.Ordinal);
        var bindings = resource["bindings"]?.AsObject().ToDictionary(b => b.Key, b => ManifestBinding.From(b.Key, b.Value!.AsObject()), StringComparer.Ordinal)
            ?? new Dictionary<string, ManifestBinding>(StringComparer.Ordinal);
        var secret = resource["inputs"]?["value"]?["secret"]?.GetValue<bool>() ?? false;
        return new(name, resource["type"]!.GetValue<string>(), env, bindings, secret);
    }
}

/// <summary>One binding (endpoint) of a resource: <c>transport</c> is <c>http2</c> for gRPC.</summary>
internal sealed record ManifestBinding(string Name, string Scheme, string Transport, int? TargetPort)
{
    public static ManifestBinding From(string name, JsonObject binding) => new(
        name, binding["scheme"]!.GetValue<string>(), binding["transport"]?.GetValue<string>() ?? "http", binding["targetPort"]?.GetValue<int>());
}
