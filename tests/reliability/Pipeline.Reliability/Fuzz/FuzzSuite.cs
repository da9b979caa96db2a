using System.Diagnostics;
using Pipeline.Reliability.Fleet;

namespace Pipeline.Reliability.Fuzz;

/// <summary>
/// How many generated cases to try, from which seed. <see cref="ExtraKeys"/>: more gateway keys to spread requests across
/// (the CI slice runs against default limits, 120 requests a minute per key); <see cref="Concurrency"/>: requests in flight.
/// </summary>
public sealed record FuzzPlan(int Seed, int Cases)
{
    public IReadOnlyList<string> ExtraKeys { get; init; } = [];

    public int Concurrency { get; init; } = 4;
}

/// <summary>What the generated bad input found: counts for the README table and every failing case with its seed.</summary>
public sealed record FuzzResult(bool Passed, IReadOnlyList<string> Failures)
{
    public int Seed { get; init; }

    /// <summary>Cases tried, all targets.</summary>
    public int CasesTried { get; init; }

    public IReadOnlyDictionary<FuzzTarget, int> CasesByTarget { get; init; } = new Dictionary<FuzzTarget, int>();

    /// <summary>Service processes that ended during the run (pid changed or gone), plus catalogue loads that threw.</summary>
    public int Crashes { get; init; }

    /// <summary>5xx, or gRPC INTERNAL/UNKNOWN, for a client fault.</summary>
    public int ServerErrorsForClientFaults { get; init; }

    /// <summary>Errors outside their edge's envelope (and stack traces or echoed headers in a body).</summary>
    public int WrongEnvelopes { get; init; }

    /// <summary>Requests Kestrel refused before the fleet's code ran (a NUL in the path), with its bare 400.</summary>
    public int RefusedByHttpServer { get; init; }

    /// <summary>Requests with no complete answer in time, or a broken connection.</summary>
    public int NoAnswers { get; init; }

    /// <summary>Answers that were the gateway's own 429 (correct; the suite rests the key and sends the case again).</summary>
    public int RateLimited { get; init; }

    public bool FleetHealthyAtEnd { get; init; }

    public TimeSpan Duration { get; init; }
}

/// <summary>
/// Generated bad input against the running fleet: cases spread over six targets (see <see cref="FuzzSeeds.TargetOf"/>),
/// judged by <see cref="FuzzOracle"/>; provider-reply cases run last, one at a time, each arming the emulator's
/// <c>mutate</c> fault for the provider calls it causes.
/// </summary>
public static class FuzzSuite
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ProviderTimeout = TimeSpan.FromSeconds(90);
    private const int MaxAttempts = 4;

    public static async Task<FuzzResult> RunAsync(FleetUnderTest fleet, FuzzPlan plan, TextWriter log, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var pids = fleet.Processes();
        var keys = new KeyRing([fleet.ApiKey, .. plan.ExtraKeys], TimeProvider.System);
        var secrets = new[] { fleet.ApiKey }.Concat(plan.ExtraKeys).ToArray();
        var tally = new FuzzTally();
        log.WriteLine($"fuzz: {plan.Cases} cases from seed {plan.Seed}, {1 + plan.ExtraKeys.Count} key(s), {plan.Concurrency} in flight");

        using var client = new FuzzClient(fleet.GatewayHttp, fleet.GatewayGrpc);
        using var catalogue = new CatalogueFuzzer();
        var cases = Enumerable.Range(0, plan.Cases).Select(i => FuzzCases.Create(plan.Seed, i)).ToList();

        var catalogueRun = Task.Run(async () =>
        {
            foreach (var c in cases.Where(c => c.Target == FuzzTarget.Catalogue))
            {
                var (verdict, mutation) = await catalogue.RunAsync(c.Seed, cancellationToken);
                tally.Record(c with { CatalogueMutation = mutation }, verdict, log);
            }
        }, cancellationToken);

        await Parallel.ForEachAsync(
            cases.Where(c => c.Request is not null && !c.Request.ProviderFault),
            new ParallelOptions { MaxDegreeOfParallelism = plan.Concurrency, CancellationToken = cancellationToken },
            async (c, ct) => tally.Record(c, await SendAsync(client, keys, c, secrets, tally, ct), log));
        log.WriteLine($"fuzz: request cases done after {stopwatch.Elapsed.TotalSeconds:0} s; provider replies next");

        using var emulator = new HttpClient { BaseAddress = fleet.Emulator, Timeout = TimeSpan.FromSeconds(10) };
        foreach (var c in cases.Where(c => c.Request is { ProviderFault: true }))
        {
            // Every provider call this generation makes (retries and fallbacks included) gets a mutated reply.
            (await emulator.PostAsync($"/emulator/faults/mutate?seed={c.Request!.MutateSeed}&calls=4", null, cancellationToken)).EnsureSuccessStatusCode();
            tally.Record(c, await SendAsync(client, keys, c, secrets, tally, cancellationToken), log);
        }
        (await emulator.PostAsync("/emulator/faults/mutate?seed=0&calls=0", null, cancellationToken)).EnsureSuccessStatusCode();
        await catalogueRun;

        var crashes = CrashedServices(pids, fleet.Processes());
        foreach (var service in crashes)
        {
            tally.RecordFailure($"Crash: {service} restarted during the fuzz run (pid {pids[service]} → {fleet.Processes().GetValueOrDefault(service)})", log);
        }
        var healthy = await HealthyAsync(fleet, cancellationToken);
        if (!healthy)
        {
            tally.RecordFailure("the fleet was not healthy at the end of the fuzz run", log);
        }

        var result = new FuzzResult(tally.Failures.Count == 0, tally.Failures)
        {
            Seed = plan.Seed,
            CasesTried = tally.Tried.Values.Sum(),
            CasesByTarget = tally.Tried.ToDictionary(),
            Crashes = crashes.Count + tally.Count(VerdictKind.CatalogueThrew),
            ServerErrorsForClientFaults = tally.Count(VerdictKind.ServerErrorForClientFault),
            WrongEnvelopes = tally.Count(VerdictKind.WrongEnvelope) + tally.Count(VerdictKind.Leak),
            RefusedByHttpServer = tally.Count(VerdictKind.RefusedByHttpServer),
            NoAnswers = tally.Count(VerdictKind.NoAnswer),
            RateLimited = tally.Count(VerdictKind.RateLimited) + tally.Retried,
            FleetHealthyAtEnd = healthy,
            Duration = stopwatch.Elapsed,
        };
        log.WriteLine($"fuzz: {result.CasesTried} cases in {result.Duration.TotalSeconds:0} s ({string.Join(", ", result.CasesByTarget.OrderBy(t => t.Key).Select(t => $"{t.Key} {t.Value}"))}); "
            + $"crashes {result.Crashes}, 5xx/INTERNAL for client faults {result.ServerErrorsForClientFaults}, wrong envelopes {result.WrongEnvelopes}, "
            + $"refused by Kestrel (NUL in the path) {result.RefusedByHttpServer}, "
            + $"no answer {result.NoAnswers}, gateway 429s {result.RateLimited}, fleet healthy {healthy}");
        return result;
    }

    /// <summary>Sends a case, resting the key and sending again when the gateway's own limiter refused it.</summary>
    private static async Task<Verdict> SendAsync(FuzzClient client, KeyRing keys, FuzzCase c, string[] secrets, FuzzTally tally, CancellationToken cancellationToken)
    {
        var request = c.Request!;
        var canary = $"canary-{c.Seed:x8}";
        Verdict verdict = Verdict.Ok;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var key = await keys.TakeAsync(TimeSpan.FromSeconds(70), cancellationToken);
            var outcome = await client.SendAsync(request, key, canary, request.ProviderFault ? ProviderTimeout : RequestTimeout, cancellationToken);
            verdict = FuzzOracle.Judge(request, outcome, [.. secrets, canary]);
            if (verdict.Kind != VerdictKind.RateLimited || request.Authorization is not null || outcome.RetryAfter is not { } retryAfter)
            {
                return verdict;
            }
            keys.Rest(key, retryAfter);
            Interlocked.Increment(ref tally.Retried);
        }
        return verdict;
    }

    private static List<string> CrashedServices(IReadOnlyDictionary<string, int> before, IReadOnlyDictionary<string, int> after) =>
        [.. before.Where(p => after.GetValueOrDefault(p.Key) != p.Value).Select(p => p.Key)];

    private static async Task<bool> HealthyAsync(FleetUnderTest fleet, CancellationToken cancellationToken)
    {
        try
        {
            await fleet.WaitHealthyAsync(TimeSpan.FromSeconds(60), cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
