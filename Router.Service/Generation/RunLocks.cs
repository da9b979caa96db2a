namespace Router.Service.Generation;

/// <summary>
/// One generation per run id at a time in this router: a second request with the same run id waits until the first
/// has finished and then finds its stored result (so two concurrent requests never make two provider calls).
/// </summary>
public sealed class RunLocks(ILogger<RunLocks> logger)
{
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    /// <summary>Waits until no other request holds <paramref name="runId"/>; dispose the result to release it.</summary>
    public async Task<IAsyncDisposable> AcquireAsync(string runId, CancellationToken cancellationToken)
    {
        Gate gate;
        bool contended;
        lock (_gates)
        {
            if (!_gates.TryGetValue(runId, out gate!))
            {
                gate = new Gate();
                _gates[runId] = gate;
            }
            contended = gate.Users++ > 0;
        }
        if (contended)
        {
            GenerationLog.WaitingForRun(logger, runId);
        }
        try
        {
            await gate.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(runId, gate);
            throw;
        }
        return new Lease(this, runId, gate);
    }

    private void Leave(string runId, Gate gate)
    {
        lock (_gates)
        {
            if (--gate.Users == 0)
            {
                _gates.Remove(runId);
            }
        }
    }

    private sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Lease(RunLocks owner, string runId, Gate gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Semaphore.Release();
                owner.Leave(runId, gate);
            }
            return ValueTask.CompletedTask;
        }
    }
}
