using System.Threading.RateLimiting;

namespace Pipeline.Providers.Internal;

/// <summary>The per-provider concurrency cap: MaxConcurrentCalls in flight, QueueLimit waiting, the rest refused.</summary>
internal sealed class ProviderConcurrencyLimiter : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly int _permits;
    private readonly int _queue;

    public ProviderConcurrencyLimiter(ProviderOptions options)
    {
        _permits = options.MaxConcurrentCalls;
        _queue = options.QueueLimit;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _permits,
            QueueLimit = _queue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>A slot, waiting in the queue when all are taken; AdapterBusy when the queue is full too.</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken)
    {
        var lease = await _limiter.AcquireAsync(1, cancellationToken);
        if (lease.IsAcquired)
        {
            return lease;
        }
        lease.Dispose();
        throw new ProviderException(ProviderFailureKind.AdapterBusy,
            $"The adapter is at its limit of {_permits} concurrent provider call(s) with {_queue} queued; retry later.",
            retryAfter: ProviderStatusMapper.DefaultRetryDelay);
    }

    public void Dispose() => _limiter.Dispose();
}
