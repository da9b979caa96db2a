namespace ProviderEmulator.Faults;

/// <summary>Instance-wide fault state that changes at run time, e.g. "429 for the next N calls".</summary>
public sealed class FaultState
{
    private readonly object _gate = new();
    private int _rateLimitRemaining;
    private int _mutateRemaining;
    private int _mutateNext;
    private ArmedFaults? _armed;

    public FaultState(EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _rateLimitRemaining = Math.Max(0, options.Faults.RateLimitNextCalls);
    }

    /// <summary>Calls still to be answered with 429.</summary>
    public int RateLimitRemaining => Volatile.Read(ref _rateLimitRemaining);

    /// <summary>Makes the next <paramref name="calls"/> API calls fail with 429 (replaces any previous count).</summary>
    public void RateLimitNextCalls(int calls) => Volatile.Write(ref _rateLimitRemaining, Math.Max(0, calls));

    /// <summary>The armed faults (see <see cref="ArmNextCalls"/>) and the calls they still apply to; null when none.</summary>
    public ArmedFaults? Armed
    {
        get
        {
            lock (_gate)
            {
                return _armed;
            }
        }
    }

    /// <summary>
    /// Applies <paramref name="faults"/> (the <c>x-emulator-fault</c> syntax) to the next <paramref name="calls"/> API calls
    /// whose path starts with <paramref name="pathPrefix"/> (every API call when null), on top of the instance default and
    /// under the request's own header. Replaces whatever was armed; 0 calls disarms. Returns an error message for bad syntax.
    /// </summary>
    public string? ArmNextCalls(string faults, int calls, string? pathPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(faults);
        if (FaultParser.TryApply(faults, FaultPlan.None, out _) is { } error)
        {
            return error;
        }

        lock (_gate)
        {
            _armed = calls > 0 && faults.Trim().Length > 0 ? new ArmedFaults(faults.Trim(), calls, string.IsNullOrEmpty(pathPrefix) ? null : pathPrefix) : null;
        }

        return null;
    }

    /// <summary>Consumes one armed call for <paramref name="path"/>; the faults to apply, or null.</summary>
    internal string? TryTakeArmedCall(string path)
    {
        lock (_gate)
        {
            if (_armed is not { } armed || (armed.PathPrefix is not null && !path.StartsWith(armed.PathPrefix, StringComparison.Ordinal)))
            {
                return null;
            }

            _armed = armed.Remaining > 1 ? armed with { Remaining = armed.Remaining - 1 } : null;
            return armed.Faults;
        }
    }

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

/// <summary>Faults armed at run time for the next calls (<c>POST /emulator/faults/next</c>).</summary>
/// <param name="Faults">In the <c>x-emulator-fault</c> syntax.</param>
/// <param name="Remaining">Calls they still apply to.</param>
/// <param name="PathPrefix">Only calls whose path starts with this; null: every API call.</param>
public sealed record ArmedFaults(string Faults, int Remaining, string? PathPrefix);
