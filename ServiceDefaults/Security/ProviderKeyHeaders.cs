namespace Pipeline.ServiceDefaults.Security;

/// <summary>
/// A caller's own provider keys ("bring your own key"): one header (gRPC metadata key) per provider,
/// <c>x-provider-key-{provider}</c>, e.g. <c>X-Provider-Key-OpenAI</c>. The router sends each key only to the adapter of
/// its own provider. Keys never go into logs, traces, run records or responses.
/// </summary>
public static class ProviderKeyHeaders
{
    /// <summary>The prefix of every provider key header (lower case, as gRPC metadata and HTTP/2 carry it).</summary>
    public const string Prefix = "x-provider-key-";

    /// <summary>The caller's OpenAI key.</summary>
    public const string OpenAI = Prefix + "openai";

    /// <summary>The caller's OpenRouter key.</summary>
    public const string OpenRouter = Prefix + "openrouter";

    /// <summary>The single, provider-less header of earlier versions; refused, since it cannot say which provider a key is for.</summary>
    public const string Unqualified = "x-provider-key";

    /// <summary>The header of <paramref name="provider"/>'s key (<c>openai</c> → <c>x-provider-key-openai</c>).</summary>
    public static string For(string provider) => Prefix + provider.ToLowerInvariant();

    /// <summary>
    /// The provider keys among <paramref name="headers"/>, by provider name (lower case); blank values are ignored.
    /// Header names are compared case-insensitively.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Read(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            if (name.Length > Prefix.Length && name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(value))
            {
                keys[name[Prefix.Length..].ToLowerInvariant()] = value.Trim();
            }
        }
        return keys;
    }
}
