using Pipeline.ServiceDefaults.Security;

namespace Gateway.Authentication;

/// <summary>The one place a request becomes the <see cref="Caller"/> the gateway forwards: its API key's caller.</summary>
public static class RequestCaller
{
    /// <summary>
    /// The caller of an authenticated request (its key's tenant, role, limits); null for an anonymous one (every forwarded
    /// route requires a key, so a forwarded call always has one).
    /// </summary>
    public static Caller? GetCaller(this HttpContext context) =>
        context.User.KeyHash() is { } hash ? context.RequestServices.GetRequiredService<ApiKeyStore>().Find(hash)?.Caller : null;
}
