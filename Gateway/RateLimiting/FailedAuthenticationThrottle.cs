using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Gateway.Configuration;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Gateway.RateLimiting;

/// <summary>
/// Throttles failed authentication (no key, a malformed or a wrong key) per client address: past
/// <see cref="GatewayOptions.FailedAuthenticationsPerMinute"/> in a minute, the address's unauthenticated calls get 429
/// with <c>retry-after</c> instead of 401. A valid key is checked first and never counted, so a neighbour guessing keys
/// from the same address cannot lock a real key out. IPv6 addresses count by their /64, which one host usually owns.
/// </summary>
internal sealed class FailedAuthenticationThrottle(GatewayOptions options, TimeProvider time, ILogger<FailedAuthenticationThrottle> logger)
    : IAuthorizationMiddlewareResultHandler, IDisposable
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    private readonly PartitionedRateLimiter<string> _addresses = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.Get(address, _ => new WindowRateLimiter(options.FailedAuthenticationsPerMinute, TimeSpan.FromMinutes(1), time)));

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            using var lease = _addresses.AttemptAcquire(Partition(context.Connection.RemoteIpAddress));
            if (!lease.IsAcquired)
            {
                lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                GatewayLog.RateLimited(logger, "(no valid key)", context.Request.Path, "failed authentications per minute from one address");
                await RateLimitingExtensions.WriteTooManyRequestsAsync(context, string.Format(CultureInfo.InvariantCulture,
                    "Too many requests without a valid API key from this address (at most {0} a minute). Try again in {1} s.",
                    options.FailedAuthenticationsPerMinute, seconds), seconds);
                return;
            }
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    public void Dispose() => _addresses.Dispose();

    private static string Partition(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }
        return address.ToString();
    }
}
