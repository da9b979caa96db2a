using Grpc.Core;
using Pipeline.ServiceDefaults.Security;
using Router.Service.Catalogue;

namespace Router.Service.Generation;

/// <summary>
/// Who a request is for and which provider keys it brought, read from the call's headers (gRPC metadata or HTTP): the
/// <see cref="Caller"/> the gateway established (no headers: the default tenant) and the caller's own keys by provider
/// (<see cref="ProviderKeyHeaders"/>). Malformed caller headers and the provider-less <c>x-provider-key</c> are refused
/// with INVALID_ARGUMENT.
/// </summary>
/// <param name="Caller">The tenant, role, fleet-key permission and budget.</param>
/// <param name="ProviderKeys">The caller's own keys by provider name (<c>openai</c>, <c>openrouter</c>); never logged.</param>
public sealed record CallContext(Caller Caller, IReadOnlyDictionary<string, string> ProviderKeys)
{
    /// <summary>The default tenant with no keys of its own.</summary>
    public static CallContext Default { get; } = new(Caller.Default, new Dictionary<string, string>());

    /// <summary>The context of a gRPC call.</summary>
    public static CallContext From(Metadata headers) => Create(
        () => Caller.From(headers),
        headers.Where(h => !h.IsBinary).Select(h => KeyValuePair.Create(h.Key, h.Value)));

    /// <summary>The context of an HTTP request.</summary>
    public static CallContext From(IHeaderDictionary headers) => Create(
        () => Caller.From(headers),
        headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())));

    private static CallContext Create(Func<Caller> caller, IEnumerable<KeyValuePair<string, string>> headers)
    {
        var list = headers.ToList();
        var violations = new List<ParameterViolation>();
        if (list.Any(h => string.Equals(h.Key, ProviderKeyHeaders.Unqualified, StringComparison.OrdinalIgnoreCase)))
        {
            violations.Add(new(ProviderKeyHeaders.Unqualified,
                $"the '{ProviderKeyHeaders.Unqualified}' header is not accepted, since it does not say which provider the key is for; " +
                $"send '{ProviderKeyHeaders.OpenAI}' or '{ProviderKeyHeaders.OpenRouter}' (each key reaches only its own provider)"));
        }
        Caller? parsed = null;
        try
        {
            parsed = caller();
        }
        catch (FormatException ex)
        {
            violations.Add(new("caller", ex.Message));
        }
        if (violations.Count > 0)
        {
            RouterException.ThrowInvalid(violations);
        }
        return new CallContext(parsed!, ProviderKeyHeaders.Read(list));
    }
}
