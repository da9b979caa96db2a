using Gateway.Authentication;
using Grpc.Core;
using Pipeline.ServiceDefaults.Security;

namespace Gateway.OpenAI;

/// <summary>
/// The metadata of the gateway's own calls to the router: always the authenticated key's <see cref="Caller"/> headers
/// (never a client's), and on generations the caller's provider keys (<c>X-Provider-Key-OpenAI</c>,
/// <c>X-Provider-Key-OpenRouter</c>) under the same names. Keys are copied, never logged or echoed.
/// </summary>
public static class RouterCallHeaders
{
    /// <summary>The caller of <paramref name="context"/> as metadata (empty for an anonymous call; every route requires a key).</summary>
    public static Metadata Caller(HttpContext context) => context.GetCaller()?.AddTo(null) ?? [];

    /// <summary>
    /// <see cref="Caller"/> plus the request's provider keys; throws <see cref="OpenAIException"/> (400) for the
    /// unqualified <c>X-Provider-Key</c>, which cannot say which provider a key is for.
    /// </summary>
    public static Metadata WithProviderKeys(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (headers.ContainsKey(ProviderKeyHeaders.Unqualified))
        {
            throw OpenAIException.Invalid(
                "The X-Provider-Key header is not accepted: it cannot say which provider the key is for. Send X-Provider-Key-OpenAI or X-Provider-Key-OpenRouter.",
                null, "unqualified_provider_key");
        }
        var metadata = Caller(context);
        foreach (var (provider, key) in ProviderKeyHeaders.Read(headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString()))))
        {
            metadata.Add(ProviderKeyHeaders.For(provider), key);
        }
        return metadata;
    }
}
