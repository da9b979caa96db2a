namespace Pipeline.Benchmarks.Probes;

/// <summary>Sequential requests, one at a time, so the figure is latency and not queueing.</summary>
public sealed class LatencyProbe(GenerationCaller caller)
{
    /// <summary>Non-streamed generations: <paramref name="warmup"/> unrecorded, then <paramref name="requests"/> timed.</summary>
    public async Task<Distribution> MeasureAsync(BenchmarkTarget target, int warmup, int requests, CancellationToken cancellationToken)
    {
        for (var i = 0; i < warmup; i++)
        {
            await caller.GenerateAsync(target, cancellationToken);
        }
        var samples = new List<double>(requests);
        for (var i = 0; i < requests; i++)
        {
            samples.Add((await caller.GenerateAsync(target, cancellationToken)).Seconds);
        }
        return Distribution.FromSeconds(samples);
    }

    /// <summary>Streamed generations with two partials: time to the first partial event.</summary>
    public async Task<Distribution> MeasureFirstPartialAsync(BenchmarkTarget target, int warmup, int requests, CancellationToken cancellationToken)
    {
        for (var i = 0; i < warmup; i++)
        {
            await caller.FirstPartialAsync(target, 2, cancellationToken);
        }
        var samples = new List<double>(requests);
        for (var i = 0; i < requests; i++)
        {
            samples.Add(await caller.FirstPartialAsync(target, 2, cancellationToken));
        }
        return Distribution.FromSeconds(samples);
    }
}
