using System.Threading.RateLimiting;
using Gateway.Authentication;
using Gateway.Configuration;
using Npgsql;

namespace Gateway.RateLimiting;

/// <summary>
/// The limits of <see cref="GatewayRateLimiter"/> (a window of requests, a cap on running generations, per key) counted in
/// PostgreSQL (<see cref="PostgresLimitStore"/>), so they hold across every gateway replica. ASP.NET Core's middleware asks
/// synchronously first; a store across the network answers only asynchronously, so that first ask says "not yet" and the
/// middleware's asynchronous ask takes the decision. When the database cannot be reached the request is let through and a
/// warning logged: a limit is not worth an outage of the front door.
/// </summary>
internal sealed class SharedGatewayRateLimiter(GatewayOptions options, ApiKeyStore keys, PostgresLimitStore store, ILogger<SharedGatewayRateLimiter> logger)
    : PartitionedRateLimiter<HttpContext>
{
    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    protected override RateLimitLease AttemptAcquireCore(HttpContext context, int permitCount) =>
        context.User.KeyHash() is null ? Verdict.Free : Verdict.NotYet;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext context, int permitCount, CancellationToken cancellationToken)
    {
        if (context.User.KeyHash() is not { } key)
        {
            return Verdict.Free;
        }
        var apiKey = keys.Find(key);
        try
        {
            if (!GatewayRateLimiter.IsImageRead(context.Request)
                && await store.TakeRequestAsync(key, apiKey?.RequestsPerWindow ?? options.RequestsPerWindow, options.Window, cancellationToken) is { } retryAfter)
            {
                return WindowRateLimiter.Refused(retryAfter);
            }
            if (!GenerationEndpoint.Is(context))
            {
                return Verdict.Free;
            }
            return await store.LeaseStreamAsync(key, apiKey?.ConcurrentStreams ?? options.ConcurrentStreams, cancellationToken) is { } lease
                ? new StreamLease(store, lease, logger)
                : Verdict.TooManyStreams;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            GatewayLog.SharedLimitsUnavailable(logger, apiKey?.Id ?? "unknown", ex.Message);
            return Verdict.Free;
        }
    }

    /// <summary>A decision with nothing to give back.</summary>
    private sealed class Verdict(bool acquired) : RateLimitLease
    {
        public static readonly Verdict Free = new(true), NotYet = new(false), TooManyStreams = new(false);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }

    /// <summary>A running generation's lease, given back when the request ends.</summary>
    private sealed class StreamLease(PostgresLimitStore store, Guid lease, ILogger logger) : RateLimitLease
    {
        private int _released;

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && Interlocked.Exchange(ref _released, 1) == 0)
            {
                _ = ReleaseAsync();
            }
            base.Dispose(disposing);
        }

        // Not awaited by the request: a lease left behind lapses after PostgresLimitStore.LeaseTimeToLive.
        private async Task ReleaseAsync()
        {
            try
            {
                await store.ReleaseAsync(lease);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                GatewayLog.SharedLimitsUnavailable(logger, "lease release", ex.Message);
            }
        }
    }
}
