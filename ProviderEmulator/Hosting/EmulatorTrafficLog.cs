namespace ProviderEmulator.Hosting;

/// <summary>What happened to one request, as the emulator saw it.</summary>
public enum EmulatorEventKind
{
    /// <summary>A request arrived (after routing, before auth and faults).</summary>
    RequestStarted,

    /// <summary>The emulator finished the response.</summary>
    RequestCompleted,

    /// <summary>The client went away before the emulator finished (e.g. a cancelled stream).</summary>
    ClientDisconnected,

    /// <summary>The emulator dropped the connection on purpose (fault <c>cut-stream</c>).</summary>
    ConnectionCut,
}

/// <summary>One entry of the <see cref="EmulatorTrafficLog"/>.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="RequestId">The <c>x-request-id</c> / <c>X-Generation-Id</c> sent to the client.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path, without query.</param>
/// <param name="StatusCode">Response status (0 for <see cref="EmulatorEventKind.RequestStarted"/>).</param>
/// <param name="Faults">The fault header as received, or null.</param>
/// <param name="At">When it happened.</param>
/// <param name="KeyId">
/// Which API key the request carried, as the first 12 hex characters of its SHA-256 (<see cref="KeyIdOf"/>), never the
/// key; null when it carried none. Lets tests check which key reached which provider.
/// </param>
public sealed record EmulatorEvent(
    EmulatorEventKind Kind, string RequestId, string Method, string Path, int StatusCode, string? Faults, DateTimeOffset At, string? KeyId = null)
{
    /// <summary>The <see cref="KeyId"/> of <paramref name="key"/>.</summary>
    public static string KeyIdOf(string key) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..12];
}

/// <summary>
/// Observable log of requests and disconnects, so tests of other components can assert, for example, that the emulator
/// saw the client disconnect. Thread-safe; keeps the last 10,000 events.
/// </summary>
public sealed class EmulatorTrafficLog
{
    private const int Capacity = 10_000;
    private readonly object _gate = new();
    private readonly List<EmulatorEvent> _events = [];
    private readonly List<(Func<EmulatorEvent, bool> Match, TaskCompletionSource<EmulatorEvent> Result)> _waiters = [];

    /// <summary>All events so far, oldest first.</summary>
    public IReadOnlyList<EmulatorEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>
    /// The first event (already logged or future) matching <paramref name="match"/>. Cancel through
    /// <paramref name="cancellationToken"/> or bound with <c>WaitAsync</c>.
    /// </summary>
    public Task<EmulatorEvent> WaitForAsync(Func<EmulatorEvent, bool> match, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(match);
        lock (_gate)
        {
            var existing = _events.FirstOrDefault(match);
            if (existing is not null)
            {
                return Task.FromResult(existing);
            }

            var result = new TaskCompletionSource<EmulatorEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, result));
            return result.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Waits for a <see cref="EmulatorEventKind.ClientDisconnected"/> event on <paramref name="path"/>.</summary>
    public Task<EmulatorEvent> WaitForDisconnectAsync(string path, CancellationToken cancellationToken = default) =>
        WaitForAsync(e => e.Kind == EmulatorEventKind.ClientDisconnected && e.Path == path, cancellationToken);

    /// <summary>Forgets every event (waiters stay).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _events.Clear();
        }
    }

    internal void Add(EmulatorEvent entry)
    {
        List<TaskCompletionSource<EmulatorEvent>> completed = [];
        lock (_gate)
        {
            if (_events.Count == Capacity)
            {
                _events.RemoveAt(0);
            }

            _events.Add(entry);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(entry))
                {
                    completed.Add(_waiters[i].Result);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var waiter in completed)
        {
            waiter.TrySetResult(entry);
        }
    }
}
