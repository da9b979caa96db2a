using Pipeline.Reliability;
using Pipeline.Reliability.Faults;
using Pipeline.Reliability.Fleet;
using Pipeline.Reliability.Fuzz;
using Pipeline.Reliability.Reporting;
using Pipeline.Reliability.Soak;

ReliabilityOptions options;
try
{
    options = ReliabilityOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"tests/reliability/run: {ex.Message}");
    return 2;
}
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
var ct = stop.Token;
var started = DateTimeOffset.UtcNow;

try
{
    // The real fleet from the AppHost model, offline (the emulator stands in for every provider), on loopback ports.
    Console.WriteLine("starting the fleet (AppHost model, offline)...");
    var (app, fleet) = await ReliabilityFleet.StartAsync(Console.Out, ct);
    await using var _ = app;

    // 1. Generated bad input, seeded: every failing case prints its seed and request.
    var fuzz = options.Suites.Contains("fuzz")
        ? await FuzzSuite.RunAsync(fleet, new FuzzPlan(options.Seed, options.Cases), Console.Out, ct)
        : null;

    // 2. Provider and process faults, each checked against the emulator's ledger of delivered images.
    var faults = options.Suites.Contains("faults")
        ? await FaultMatrix.RunAsync(fleet, new FaultPlan(options.FastFaultsOnly), Console.Out, ct)
        : null;

    // 3. Soak: concurrent streamed generations through the gateway, with memory and descriptors watched.
    var soak = options.Suites.Contains("soak")
        ? await SoakRun.RunAsync(fleet, new SoakPlan(options.SoakStreams, options.SoakDuration), Console.Out, ct)
        : null;

    // The fleet must be healthy at the end of it all.
    await fleet.WaitHealthyAsync(TimeSpan.FromSeconds(60), ct);

    var report = ReliabilityReport.Create(options, started, fuzz, faults, soak);
    Console.WriteLine(await ReportWriter.WriteAsync(report, options, ct));
    return report.Passed ? 0 : 1;
}
catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
{
    // One line saying what broke (a suite, the fleet, the report) before the details; the fleet is already stopped.
    Console.Error.WriteLine($"reliability run aborted: {ex.GetType().Name}: {ex.Message}");
    Console.Error.WriteLine(ex);
    return 1;
}
