namespace ProviderEmulator.Faults;

/// <summary>Instance-wide fault state that changes at run time, e.g. "429 for the next N calls".</summary>
public sealed class FaultState
{
    private int _rateLimitRemaining;
    private int _mutateRemaining;
    private int _mutateNext;

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

    /// <summary>API calls still to be answered with the <c>mutate</c> fault.</summary>
    public int MutateRemaining => Volatile.Read(ref _mutateRemaining);

    /// <summary>
    /// Gives the next <paramref name="calls"/> API calls the <c>mutate</c> fault, with seeds <paramref name="seed"/>,
    /// seed+1, … in arrival order (replaces any previous arming). For callers that cannot set the header per request.
    /// </summary>
    public void MutateNextCalls(int seed, int calls)
    {
        Volatile.Write(ref _mutateNext, seed);
        Volatile.Write(ref _mutateRemaining, Math.Max(0, calls));
    }

    /// <summary>Consumes one armed mutated call; true with its seed when this call must be mutated.</summary>
    internal bool TryTakeMutatedCall(out int seed)
    {
        seed = 0;
        while (true)
        {
            var current = Volatile.Read(ref _mutateRemaining);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _mutateRemaining, current - 1, current) == current)
            {
                seed = Interlocked.Increment(ref _mutateNext) - 1;
                return true;
            }
        }
    }
}
