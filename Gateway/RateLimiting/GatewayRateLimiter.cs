using System.Threading.RateLimiting;
using Gateway.Authentication;
using Gateway.Configuration;

namespace Gateway.RateLimiting;

/// <summary>
/// The per-key limits (each key's own, see <see cref="ApiKey"/>), partitioned by the key's hash: a <see cref="WindowRateLimiter"/> of requests for every
/// authenticated call but image reads, then a concurrency cap on generations. A request is charged one window permit
/// however it ends: ASP.NET Core's middleware asks a second time after a refusal (to queue, and there is no queue), and
/// that second ask repeats the first answer instead of charging the window again.
/// </summary>
internal sealed class GatewayRateLimiter(GatewayOptions options, ApiKeyStore keys, TimeProvider time) : PartitionedRateLimiter<HttpContext>
{
    private static readonly object s_windowVerdict = new();

    private readonly PartitionedRateLimiter<string> _windows = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.Get(key, _ => new WindowRateLimiter(keys.Find(key)?.RequestsPerWindow ?? options.RequestsPerWindow, options.Window, time)));

    private readonly PartitionedRateLimiter<string> _streams = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetConcurrencyLimiter(key, _ => new ConcurrencyLimiterOptions { PermitLimit = keys.Find(key)?.ConcurrentStreams ?? options.ConcurrentStreams, QueueLimit = 0 }));

    private readonly RateLimiter _none = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = int.MaxValue, QueueLimit = 0 });

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) =>
        resource.User.KeyHash() is { } key ? _windows.GetStatistics(key) : null;

    protected override RateLimitLease AttemptAcquireCore(HttpContext context, int permitCount)
    {
        if (context.User.KeyHash() is not { } key)
        {
            return _none.AttemptAcquire(0);
        }
        if (!IsImageRead(context.Request))
        {
            if (context.Items.TryGetValue(s_windowVerdict, out var earlier))
            {
                if (earlier is TimeSpan retryAfter)
                {
                    return WindowRateLimiter.Refused(retryAfter);
                }
            }
            else
            {
                using var window = _windows.AttemptAcquire(key);
                context.Items[s_windowVerdict] = window.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : null;
                if (!window.IsAcquired)
                {
                    return WindowRateLimiter.Refused(retry);
                }
            }
        }
        return GenerationEndpoint.Is(context) ? _streams.AttemptAcquire(key) : _none.AttemptAcquire(0);
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext context, int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(context, permitCount));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _windows.Dispose();
            _streams.Dispose();
            _none.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>
    /// Image bytes (<c>GET /images/{id}</c>) are not counted: they come from storage, never reach a provider, and one
    /// page of recent runs loads dozens of them.
    /// </summary>
    internal static bool IsImageRead(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Path.StartsWithSegments("/images");
}
