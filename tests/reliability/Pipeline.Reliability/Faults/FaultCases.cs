using System.Diagnostics;
using Grpc.Core;

namespace Pipeline.Reliability.Faults;

/// <summary>
/// The faults of issue 18, in the order they run: provider faults armed in the emulator for the next Images call (fast),
/// then process faults (an adapter, storage or the router killed mid-stream; storage stopped for 30 s).
/// </summary>
internal static class FaultCases
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Recovery = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan StorageDownFor = TimeSpan.FromSeconds(30);

    /// <summary>Every fault, fast ones first.</summary>
    public static IReadOnlyList<FaultCase> All { get; } =
    [
        Provider("provider 429 with Retry-After", "rate-limit=2", [StatusCode.ResourceExhausted]),
        Provider("provider 429 once (retried)", "rate-limit=1", [StatusCode.OK], calls: 1),
        Provider("provider 500", "status=500", [StatusCode.Unavailable]),
        Provider("provider 503", "status=503", [StatusCode.Unavailable]),
        Provider("provider 503 once (retried)", "status=503", [StatusCode.OK], calls: 1),
        Provider("provider timeout", "latency=60s", [StatusCode.DeadlineExceeded], deadline: TimeSpan.FromSeconds(8)),
        Provider("malformed body", "malformed-json", []),
        Provider("stream cut after a partial", "cut-stream", []),
        KilledMidStream("adapter killed mid-stream", "openai"),
        StorageKilledMidPut(),
        StorageDown(),
        KilledMidStream("router killed mid-stream", "router"),
    ];

    /// <summary>
    /// A provider fault armed in the emulator for the next <paramref name="calls"/> Images calls (default 3: the first
    /// attempt and the adapter's 2 retries, so the fault reaches the caller); one streamed generation (2 partials) under it.
    /// </summary>
    private static FaultCase Provider(string name, string faults, StatusCode[] expected, TimeSpan? deadline = null, int calls = 3) =>
        new(name, Fast: true, expected.ToHashSet(), async (context, ct) =>
        {
            await context.Emulator.ArmAsync(faults, calls, ct);
            return [await context.Probe.GenerateAsync(RunId(name), images: 1, partials: 2, deadline ?? Deadline, onFrame: null, ct)];
        });

    /// <summary>
    /// <paramref name="service"/> killed when the caller gets the first partial (the emulator waits 2 s before each
    /// partial and the final, so the final is not yet delivered); then the fleet waits for the CrashRestarter. The caller
    /// must get UNAVAILABLE.
    /// </summary>
    private static FaultCase KilledMidStream(string name, string service) =>
        // UNAVAILABLE: a backend went away, try again. Not CANCELLED, which tells the caller it cancelled (and is not retried).
        new(name, Fast: false, new HashSet<StatusCode> { StatusCode.Unavailable }, async (context, ct) =>
        {
            await context.Emulator.ArmAsync("partial-delay=2s", calls: 1, ct);
            string? killed = null;
            var outcome = await context.Probe.GenerateAsync(RunId(name), images: 1, partials: 2, Deadline, frame =>
            {
                if (frame.Partial is not null && killed is null)
                {
                    killed = context.Processes.Kill(service);
                }
                return Task.CompletedTask;
            }, ct);
            if (killed is not null)
            {
                await context.Processes.WaitRestartedAsync(service, killed, Recovery, ct);
            }
            return [outcome];
        });

    /// <summary>
    /// A 24 MB image (emulator fault oversized-image, so the put takes a while); storage killed the moment the emulator's
    /// ledger shows the image delivered, i.e. while the adapter, the router and storage are passing it on. The caller must
    /// still get OK (the image spooled); then the CrashRestarter brings storage back and the spool is delivered.
    /// </summary>
    private static FaultCase StorageKilledMidPut() =>
        new("storage killed mid-put", Fast: false, new HashSet<StatusCode> { StatusCode.OK }, async (context, ct) =>
        {
            await context.Emulator.ArmAsync("oversized-image=24MB;partial-delay=1s", calls: 1, ct);
            var runId = RunId("storage killed");
            Task<string?>? killer = null;
            var outcome = await context.Probe.GenerateAsync(runId, images: 1, partials: 1, Deadline, frame =>
            {
                killer ??= frame.Partial is not null ? KillOnDeliveryAsync(context, "storage", runId, ct) : null;
                return Task.CompletedTask;
            }, ct);
            if (killer is not null && await killer is { } killed)
            {
                await context.Processes.WaitRestartedAsync("storage", killed, Recovery, ct);
            }
            await context.Accounting.WaitSpoolEmptyAsync(TimeSpan.FromSeconds(60), ct);
            return [outcome];
        });

    /// <summary>
    /// Storage kept down for 30 s (killed again each time the CrashRestarter starts it); generations meanwhile, alternately
    /// with a caller-chosen run id (claimed in storage, so UNAVAILABLE "leave run_id empty" is the honest answer) and
    /// without one (must be OK, spooled); then storage comes back and the spool is delivered.
    /// </summary>
    private static FaultCase StorageDown() =>
        new("storage down for 30 s", Fast: false, new HashSet<StatusCode> { StatusCode.OK }, async (context, ct) =>
        {
            var keepDown = context.Processes.KeepDownAsync("storage", StorageDownFor, ct);
            var down = Stopwatch.StartNew();
            var outcomes = new List<CallOutcome>();
            for (var i = 0; i < 4 && down.Elapsed < StorageDownFor - TimeSpan.FromSeconds(8); i++)
            {
                var chosen = i % 2 == 1;
                var outcome = await context.Probe.GenerateAsync(chosen ? RunId("storage down") : "", images: 1, partials: 1, TimeSpan.FromSeconds(20), onFrame: null, ct);
                outcomes.Add(chosen ? outcome with { Expected = new HashSet<StatusCode> { StatusCode.OK, StatusCode.Unavailable } } : outcome);
            }
            var (killed, _) = await keepDown;
            if (killed is not null)
            {
                await context.Processes.WaitRestartedAsync("storage", killed, Recovery, ct);
            }
            await context.Accounting.WaitSpoolEmptyAsync(TimeSpan.FromSeconds(90), ct);
            return outcomes;
        });

    /// <summary>Kills <paramref name="service"/> as soon as the emulator's ledger lists an image of <paramref name="runId"/> (within 20 s); its launcher, or null.</summary>
    private static async Task<string?> KillOnDeliveryAsync(FaultContext context, string service, string runId, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            if ((await context.Emulator.DeliveredAsync(runId, ct)).Count > 0)
            {
                return context.Processes.Kill(service);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        }
        return null;
    }

    private static string RunId(string fault) =>
        $"fm-{new string([.. fault.Where(char.IsAsciiLetterOrDigit).Take(24)])}-{Guid.NewGuid().ToString("N")[..12]}";
}
