namespace AppHost.Hosting;

/// <summary>Publishes resource snapshots and lets callers wait for a state (Aspire's <c>ResourceNotificationService</c>).</summary>
public sealed class ResourceNotificationService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ResourceSnapshot> _snapshots = [];
    private readonly List<(string Name, Func<ResourceSnapshot, bool> Predicate, TaskCompletionSource<ResourceSnapshot> Done)> _waiters = [];

    /// <summary>Raised after every update, outside the lock.</summary>
    public event Action<ResourceSnapshot>? Updated;

    /// <summary>The latest snapshot of <paramref name="name"/>, or null when nothing was published.</summary>
    public ResourceSnapshot? GetSnapshot(string name)
    {
        lock (_gate)
        {
            return _snapshots.GetValueOrDefault(name);
        }
    }

    public void PublishUpdate(ResourceSnapshot snapshot)
    {
        List<TaskCompletionSource<ResourceSnapshot>> completed = [];
        lock (_gate)
        {
            _snapshots[snapshot.Name] = snapshot;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Name == snapshot.Name && _waiters[i].Predicate(snapshot))
                {
                    completed.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }
        foreach (var done in completed)
        {
            done.TrySetResult(snapshot);
        }
        Updated?.Invoke(snapshot);
    }

    /// <summary>Completes with the first snapshot of <paramref name="name"/> (current or future) that matches <paramref name="predicate"/>.</summary>
    public async Task<ResourceSnapshot> WaitForResourceAsync(string name, Func<ResourceSnapshot, bool> predicate, CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource<ResourceSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_snapshots.TryGetValue(name, out var current) && predicate(current))
            {
                return current;
            }
            _waiters.Add((name, predicate, done));
        }
        using var registration = cancellationToken.Register(() => done.TrySetCanceled(cancellationToken));
        return await done.Task;
    }

    /// <summary>Waits until <paramref name="name"/> is in <paramref name="state"/> (default Running).</summary>
    public Task<ResourceSnapshot> WaitForResourceAsync(string name, string state = KnownResourceStates.Running, CancellationToken cancellationToken = default) =>
        WaitForResourceAsync(name, s => s.State == state, cancellationToken);

    /// <summary>Waits until <paramref name="name"/> is Running and Healthy.</summary>
    public Task<ResourceSnapshot> WaitForResourceHealthyAsync(string name, CancellationToken cancellationToken = default) =>
        WaitForResourceAsync(name, s => s.State == KnownResourceStates.Running && s.Health == HealthStatus.Healthy, cancellationToken);
}
