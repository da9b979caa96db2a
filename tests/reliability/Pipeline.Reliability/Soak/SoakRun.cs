using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Net.Client;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Reliability.Fleet;

namespace Pipeline.Reliability.Soak;

/// <summary>How many concurrent streamed generations to keep up, and for how long.</summary>
public sealed record SoakPlan(int Streams, TimeSpan Duration);

/// <summary>
/// Keeps <see cref="SoakPlan.Streams"/> streamed generations going through the gateway (a new one starts when one ends) for
/// <see cref="SoakPlan.Duration"/>, each with a deadline, and samples every service's RSS and open descriptors at the start,
/// every minute (every fifth of the run for runs under five minutes), at the end of the load, and after it drained.
/// </summary>
public static class SoakRun
{
    /// <summary>Every call's deadline; a call still running then fails with DEADLINE_EXCEEDED and counts as an error.</summary>
    public static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(60);

    public static async Task<SoakResult> RunAsync(FleetUnderTest fleet, SoakPlan plan, TextWriter log, CancellationToken cancellationToken)
    {
        var interval = plan.Duration >= TimeSpan.FromMinutes(5) ? TimeSpan.FromMinutes(1) : plan.Duration / 5;
        var warmup = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, (plan.Duration * 0.2).Ticks));
        log.WriteLine($"soak: {plan.Streams} streams for {plan.Duration.TotalMinutes:0.#} min through the gateway ({SoakCall.Config}, {SoakCall.PartialImages} partials), " +
            $"samples every {interval.TotalSeconds:0} s, warm-up {warmup.TotalSeconds:0} s, call deadline {CallDeadline.TotalSeconds:0} s");

        using var channel = GrpcChannel.ForAddress(fleet.GatewayGrpc, new GrpcChannelOptions
        {
            // One HTTP/2 connection carries 100 streams at most (Kestrel's default); the soak needs more.
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
            MaxReceiveMessageSize = 32 * 1024 * 1024,
        });
        var client = new ImageGeneration.ImageGenerationClient(channel);
        var calls = new ConcurrentQueue<SoakCall>();
        var samples = new List<ResourceSample>();
        var missing = new List<string>();
        var watch = Stopwatch.StartNew();
        void Sample()
        {
            var processes = fleet.Processes();
            missing.AddRange(FleetUnderTest.Services.Except(processes.Keys).Select(s => $"{s} was down at {watch.Elapsed.TotalSeconds:0} s"));
            samples.AddRange(ResourceSample.Take(watch.Elapsed, processes));
        }

        Sample();
        await using var peaks = new MemorySampler(fleet.Processes);
        long sequence = 0;
        async Task Worker()
        {
            while (watch.Elapsed < plan.Duration && !cancellationToken.IsCancellationRequested)
            {
                calls.Enqueue(await SoakCall.RunAsync(client, fleet.ApiKey, Interlocked.Increment(ref sequence), CallDeadline, cancellationToken));
            }
        }
        var workers = Enumerable.Range(0, plan.Streams).Select(_ => Task.Run(Worker, cancellationToken)).ToList();

        using (var timer = new PeriodicTimer(interval))
        {
            // Ticks while another one fits before the end; the last sample is taken at the end itself, still under load.
            while (watch.Elapsed + interval < plan.Duration - TimeSpan.FromSeconds(1) && await timer.WaitForNextTickAsync(cancellationToken))
            {
                Sample();
                log.WriteLine($"soak: {watch.Elapsed.TotalSeconds:0} s, {calls.Count} calls ended, {calls.Count(c => c.ErrorKind is not null)} failed; " +
                    string.Join(", ", samples.Where(s => s.At == samples[^1].At).Select(s => $"{s.Service} {s.RssMb:0} MB/{s.Descriptors} fd")));
            }
        }
        var remaining = plan.Duration - watch.Elapsed;
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining, cancellationToken);
        }
        Sample();
        var end = watch.Elapsed;
        log.WriteLine($"soak: load ends at {end.TotalSeconds:0} s; waiting for the calls in flight (at most {CallDeadline.TotalSeconds:0} s)");
        await Task.WhenAll(workers);
        var elapsed = watch.Elapsed;
        Sample();

        var ended = calls.ToList();
        var trends = ServiceTrend.From(samples, warmup, end, peaks.Peaks());
        var errors = ended.Where(c => c.ErrorKind is not null).GroupBy(c => c.ErrorKind!, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ToList();
        var failures = errors.Select(g => $"{g.Count()} call(s) failed with {g.Key}, e.g. {g.First().ErrorMessage}")
            .Concat(missing.Distinct(StringComparer.Ordinal))
            .Concat(trends.SelectMany(t => t.Failures()))
            .ToList();
        if (ended.Count(c => c.ErrorKind is null) == 0)
        {
            failures.Add("no call completed");
        }
        var firstPartials = ended.Where(c => c.FirstPartialSeconds is not null).Select(c => c.FirstPartialSeconds!.Value).ToList();
        var finals = ended.Where(c => c.ErrorKind is null).Select(c => c.FinalSeconds!.Value).ToList();
        var result = new SoakResult(failures.Count == 0, failures)
        {
            Streams = plan.Streams,
            Duration = plan.Duration,
            LoadEnded = end,
            Elapsed = elapsed,
            Warmup = warmup,
            Calls = ended.Count,
            Completed = ended.Count(c => c.ErrorKind is null),
            ErrorsByKind = errors.ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            FirstErrors = errors.ToDictionary(g => g.Key, g => g.First().ErrorMessage ?? "", StringComparer.Ordinal),
            FirstPartial = firstPartials.Count > 0 ? Distribution.FromSeconds(firstPartials) : null,
            Final = finals.Count > 0 ? Distribution.FromSeconds(finals) : null,
            Samples = samples,
            Services = trends,
        };
        log.WriteLine($"soak: {result.Completed} of {result.Calls} calls completed in {elapsed.TotalSeconds:0} s; first partial p50/p99 " +
            $"{result.FirstPartial?.Median:0}/{result.FirstPartial?.P99:0} ms, final {result.Final?.Median:0}/{result.Final?.P99:0} ms; {(result.Passed ? "passed" : "FAILED")}");
        foreach (var failure in failures)
        {
            log.WriteLine($"soak: FAIL {failure}");
        }
        return result;
    }
}
