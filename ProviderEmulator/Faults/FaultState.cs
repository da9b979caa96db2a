namespace ProviderEmulator.Faults;

/// <summary>Instance-wide fault state that changes at run time, e.g. "429 for the next N calls".</summary>
public sealed class FaultState
{
    private int _rateLimitRemaining;

    public FaultState(EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _rateLimitRemaining = Math.Max(0, options.Faults.RateLimitNextCalls);
    }

    /// <summary>Calls still to be answered with 429.</summary>
    public int RateLimitRemaining => Volatile.Read(ref _rateLimitRemaining);

    /// <summary>Makes the next <paramref name="calls"/> API calls fail with 429 (replaces any previous count).</summary>
    public void RateLimitNextCalls(int calls) => Volatile.Write(ref _rateLimitRemaining, Math.Max(0, calls));

    /// <summary>Consumes one rate-limited call; true when this call must get 429.</summary>
    internal bool TryTakeRateLimitedCall()
    {
        while (true)
        {
            var current = Volatile.Read(ref _rateLimitRemaining);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _rateLimitRemaining, current - 1, current) == current)
            {
                return true;
            }
        }
    }
}
