namespace Pipeline.Reliability.Fuzz;

/// <summary>
/// The API keys the suite spreads its requests across. A key the gateway's limiter refused rests until its
/// <c>retry-after</c>; the next request takes the next key that is not resting, so a run with default limits stays under
/// them as far as the keys allow, and a run with raised limits is never slowed.
/// </summary>
public sealed class KeyRing(IReadOnlyList<string> keys, TimeProvider time)
{
    private readonly DateTimeOffset[] _restingUntil = new DateTimeOffset[keys.Count];
    private readonly Lock _lock = new();
    private int _next;

    /// <summary>A key that may be used now, waiting (at most <paramref name="maxWait"/>) for one to come back from rest.</summary>
    public async Task<string> TakeAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + maxWait;
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                var now = time.GetUtcNow();
                for (var i = 0; i < keys.Count; i++)
                {
                    var k = (_next + i) % keys.Count;
                    if (_restingUntil[k] <= now)
                    {
                        _next = k + 1;
                        return keys[k];
                    }
                }
                wait = _restingUntil.Min() - now;
                if (now + wait > deadline)
                {
                    _next++;
                    return keys[_next % keys.Count];
                }
            }
            await Task.Delay(wait < TimeSpan.FromMilliseconds(50) ? TimeSpan.FromMilliseconds(50) : wait, time, cancellationToken);
        }
    }

    /// <summary>The gateway refused <paramref name="key"/> for <paramref name="retryAfter"/>.</summary>
    public void Rest(string key, TimeSpan retryAfter)
    {
        lock (_lock)
        {
            var i = IndexOf(key);
            if (i >= 0)
            {
                var until = time.GetUtcNow() + retryAfter;
                _restingUntil[i] = until > _restingUntil[i] ? until : _restingUntil[i];
            }
        }
    }

    private int IndexOf(string key)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i] == key)
            {
                return i;
            }
        }
        return -1;
    }
}
