using Pipeline.ServiceDefaults.Security;

namespace Gateway.Configuration;

/// <summary>
/// One accepted API key, as the gateway keeps it: its SHA-256 (the plain key is never kept), the <see cref="Caller"/> it
/// authenticates (tenant, role, fleet provider keys, budget) and its own rate limits.
/// </summary>
/// <param name="Sha256">The key's SHA-256 digest (32 bytes).</param>
/// <param name="Caller">Who calls with this key; travels to the router and storage as the caller headers.</param>
/// <param name="RequestsPerWindow">Requests per rate-limit window (the key's own, else <c>Gateway:RateLimits:RequestsPerWindow</c>).</param>
/// <param name="ConcurrentStreams">Generations at once (the key's own, else <c>Gateway:RateLimits:ConcurrentStreams</c>).</param>
public sealed record ApiKey(byte[] Sha256, Caller Caller, int RequestsPerWindow, int ConcurrentStreams)
{
    /// <summary>The digest as lower-case hex: the rate-limit partition and the claim of an authenticated call.</summary>
    public string Hash { get; } = Convert.ToHexStringLower(Sha256);

    /// <summary>The first 12 hex characters of the digest: tells keys apart in logs and banners, never the key.</summary>
    public string Id => Hash[..12];
}
