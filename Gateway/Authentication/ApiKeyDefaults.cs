using System.Security.Claims;

namespace Gateway.Authentication;

/// <summary>Names of the API key scheme, policy and claims.</summary>
public static class ApiKeyDefaults
{
    /// <summary>The authentication scheme: <c>Authorization: Bearer &lt;key&gt;</c> (HTTP header or gRPC metadata).</summary>
    public const string Scheme = "ApiKey";

    /// <summary>The authorization policy every API route requires.</summary>
    public const string Policy = "ApiKey";

    /// <summary>Claim holding the key's SHA-256 (hex): the rate-limit partition.</summary>
    public const string KeyHashClaim = "pipeline:key_sha256";

    /// <summary>The key's hash (hex) of an authenticated caller; null for anonymous ones.</summary>
    public static string? KeyHash(this ClaimsPrincipal user) => user.FindFirst(KeyHashClaim)?.Value;
}
