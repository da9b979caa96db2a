namespace Pipeline.Tests.Measurement;

/// <summary>Resident set size of processes (<see cref="ProcessProbe.ReadRssBytes"/>), with a background peak sampler.</summary>
public sealed class MemorySampler : IAsyncDisposable
{
    private readonly Func<IReadOnlyDictionary<string, int>> _processes;
    private readonly Dictionary<string, long> _peaks = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>Samples every 100 ms the processes <paramref name="processes"/> names (re-read each time: a restarted service has a new pid).</summary>
    public MemorySampler(Func<IReadOnlyDictionary<string, int>> processes)
    {
        _processes = processes;
        _loop = Task.Run(SampleLoopAsync);
    }

    /// <summary>The current RSS in MB of each named process.</summary>
    public IReadOnlyDictionary<string, double> Snapshot() =>
        _processes().ToDictionary(p => p.Key, p => ProcessProbe.ReadRssBytes(p.Value) / 1e6);

    /// <summary>The highest RSS in MB seen per process since the sampler started.</summary>
    public IReadOnlyDictionary<string, double> Peaks()
    {
        lock (_peaks)
        {
            return _peaks.ToDictionary(p => p.Key, p => p.Value / 1e6);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task SampleLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                foreach (var (name, pid) in _processes())
                {
                    var rss = ProcessProbe.ReadRssBytes(pid);
                    lock (_peaks)
                    {
                        _peaks[name] = Math.Max(_peaks.GetValueOrDefault(name), rss);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
