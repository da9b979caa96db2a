using System.Threading.RateLimiting;

namespace Gateway.RateLimiting;

/// <summary>
/// A fixed window of <c>permitLimit</c> permits on the injected clock, opened by the first request after the previous
/// window ended. A refusal carries <see cref="MetadataName.RetryAfter"/>: the real time left until the window ends
/// (System.Threading.RateLimiting's fixed window reports the whole window, however late in it the refusal comes). No queue.
/// </summary>
internal sealed class WindowRateLimiter(int permitLimit, TimeSpan window, TimeProvider time) : RateLimiter
{
    private readonly Lock _lock = new();
    private DateTimeOffset _windowEnd = time.GetUtcNow();
    private int _used;
    private long _succeeded;
    private long _failed;

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                var now = time.GetUtcNow();
                return now >= _windowEnd ? now - _windowEnd : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = time.GetUtcNow() >= _windowEnd ? permitLimit : permitLimit - _used,
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _succeeded,
                TotalFailedLeases = _failed,
            };
        }
    }

    /// <summary>A refusal that says when to try again.</summary>
    public static RateLimitLease Refused(TimeSpan retryAfter) => new WindowLease(retryAfter);

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, permitLimit);
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (now >= _windowEnd)
            {
                if (permitCount == 0)
                {
                    return WindowLease.Acquired;
                }
                _windowEnd = now + window;
                _used = 0;
            }
            if (_used + permitCount <= permitLimit && (permitCount > 0 || _used < permitLimit))
            {
                _used += permitCount;
                _succeeded++;
                return WindowLease.Acquired;
            }
            _failed++;
            return new WindowLease(_windowEnd - now);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private sealed class WindowLease(TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly WindowLease Acquired = new(null);

        public override bool IsAcquired => retryAfter is null;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } value && metadataName == MetadataName.RetryAfter.Name ? value : null;
            return metadata is not null;
        }
    }
}
