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
        Provider("provider 500", "status=500", [StatusCode.Unavailable]),
        Provider("provider 503", "status=503", [StatusCode.Unavailable]),
        Provider("provider timeout", "latency=60s", [StatusCode.DeadlineExceeded], deadline: TimeSpan.FromSeconds(8)),
        Provider("malformed body", "malformed-json", []),
        Provider("stream cut after a partial", "cut-stream", []),
        KilledMidStream("adapter killed mid-stream", "openai"),
        StorageKilledMidPut(),
        StorageDown(),
        KilledMidStream("router killed mid-stream", "router"),
    ];

    /// <summary>A provider fault armed in the emulator for the next Images call; one streamed generation (2 partials) under it.</summary>
    private static FaultCase Provider(string name, string faults, StatusCode[] expected, TimeSpan? deadline = null) =>
        new(name, Fast: true, expected.ToHashSet(), async (context, ct) =>
        {
            await context.Emulator.ArmAsync(faults, calls: 1, ct);
            return [await context.Probe.GenerateAsync(RunId(name), images: 1, partials: 2, deadline ?? Deadline, onFrame: null, ct)];
        });

    /// <summary>
    /// <paramref name="service"/> killed when the caller gets the first partial (the emulator waits 2 s before each
    /// partial and the final, so the final is not yet delivered); then the fleet waits for the CrashRestarter.
    /// </summary>
    private static FaultCase KilledMidStream(string name, string service) =>
        new(name, Fast: false, new HashSet<StatusCode>(), async (context, ct) =>
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
    /// Three images in one reply; storage killed when the caller gets the first Final, so the other two are being put or
    /// about to be. The caller must still get OK (the rest spooled); then the CrashRestarter brings storage back and the
    /// spool is delivered.
    /// </summary>
    private static FaultCase StorageKilledMidPut() =>
        new("storage killed mid-put", Fast: false, new HashSet<StatusCode> { StatusCode.OK }, async (context, ct) =>
        {
            string? killed = null;
            var outcome = await context.Probe.GenerateAsync(RunId("storage killed"), images: 3, partials: 0, Deadline, frame =>
            {
                if (frame.Final is not null && killed is null)
                {
                    killed = context.Processes.Kill("storage");
                }
                return Task.CompletedTask;
            }, ct);
            if (killed is not null)
            {
                await context.Processes.WaitRestartedAsync("storage", killed, Recovery, ct);
            }
            await context.Accounting.WaitSpoolEmptyAsync(TimeSpan.FromSeconds(60), ct);
            return [outcome];
        });

    /// <summary>
    /// Storage stopped for 30 s with Aspire's Stop command (a kill would be undone by the CrashRestarter within seconds);
    /// generations meanwhile, with a caller-chosen run id and without; then Start, and the spool delivered.
    /// </summary>
    private static FaultCase StorageDown() =>
        new("storage down for 30 s", Fast: false, new HashSet<StatusCode> { StatusCode.OK }, async (context, ct) =>
        {
            await context.Processes.StopAsync("storage", TimeSpan.FromSeconds(30), ct);
            var down = Stopwatch.StartNew();
            var outcomes = new List<CallOutcome>();
            try
            {
                for (var i = 0; i < 4 && down.Elapsed < StorageDownFor - TimeSpan.FromSeconds(5); i++)
                {
                    var runId = i % 2 == 0 ? RunId("storage down") : "";
                    outcomes.Add(await context.Probe.GenerateAsync(runId, images: 1, partials: 1, TimeSpan.FromSeconds(20), onFrame: null, ct));
                }
                if (down.Elapsed < StorageDownFor)
                {
                    await Task.Delay(StorageDownFor - down.Elapsed, ct);
                }
            }
            finally
            {
                await context.Processes.StartAsync("storage", Recovery, ct);
            }
            await context.Accounting.WaitSpoolEmptyAsync(TimeSpan.FromSeconds(90), ct);
            return outcomes;
        });

    private static string RunId(string fault) =>
        $"fm-{new string([.. fault.Where(char.IsAsciiLetterOrDigit).Take(24)])}-{Guid.NewGuid().ToString("N")[..12]}";
}
