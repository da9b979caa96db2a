using System.Diagnostics;

namespace Pipeline.Benchmarks.Probes;

/// <summary>
/// One throughput level: completed generations per second and image megabytes per second; for the fleet, how many new
/// image files storage holds afterwards (every distinct image is one), null for a target that stores nothing.
/// </summary>
public sealed record ThroughputResult(
    int Concurrency, int Completed, int Failed, double Seconds, double GenerationsPerSecond, double ImageMegabytesPerSecond, string? FirstError, int? StoredBlobs);

/// <summary><c>concurrency</c> workers share a fixed number of requests; the level stops at the count or the time cap.</summary>
public sealed class ThroughputProbe(GenerationCaller caller)
{
    public async Task<ThroughputResult> MeasureAsync(
        BenchmarkTarget target, int concurrency, int requests, TimeSpan timeCap, Func<int>? storedBlobs, CancellationToken cancellationToken)
    {
        var blobsBefore = storedBlobs?.Invoke();
        using var cap = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cap.CancelAfter(timeCap);
        var remaining = requests;
        int completed = 0, failed = 0;
        long bytes = 0;
        string? firstError = null;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (!cap.IsCancellationRequested && Interlocked.Decrement(ref remaining) >= 0)
            {
                try
                {
                    var (_, base64Bytes) = await caller.GenerateAsync(target, cap.Token);
                    Interlocked.Increment(ref completed);
                    Interlocked.Add(ref bytes, base64Bytes / 4 * 3);
                }
                catch (OperationCanceledException) when (cap.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstError, e.Message, null);
                }
            }
        });
        await Task.WhenAll(workers);
        var seconds = watch.Elapsed.TotalSeconds;
        return new ThroughputResult(concurrency, completed, failed, seconds, completed / seconds, bytes / 1e6 / seconds, firstError, storedBlobs?.Invoke() - blobsBefore);
    }
}
