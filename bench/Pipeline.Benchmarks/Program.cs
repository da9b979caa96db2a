using Pipeline.Benchmarks;
using Pipeline.Benchmarks.Fleet;
using Pipeline.Benchmarks.Peers;
using Pipeline.Benchmarks.Probes;
using Pipeline.Benchmarks.Reporting;

var options = BenchmarkOptions.Parse(args);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
var ct = stop.Token;

// The fleet from the AppHost model (traces to the dashboard, distinct images), and the references it is compared with.
Console.WriteLine("starting the fleet (AppHost model, emulator at zero latency, distinct images)...");
await using var fleet = await BenchmarkFleet.StartAsync(Console.Out, options.Dashboard, ct);
Console.WriteLine($"all healthy {fleet.StartupTime.TotalSeconds:0.0} s after start; gateway {(fleet.GatewayDirect is null ? "not proxied" : "behind DCP's proxy")}");
var emulatorV1 = new Uri(fleet.Emulator, "v1/");
var emulator = new BenchmarkTarget("emulator", emulatorV1, "gpt-image-1",
    new Dictionary<string, string> { ["Authorization"] = $"Bearer {AppHost.PipelineResourceExtensions.EmulatorApiKey}" });
var fleetKey = new Dictionary<string, string> { ["Authorization"] = $"Bearer {BenchmarkFleet.ApiKey}" };
var gateway = new BenchmarkTarget("fleet", new Uri(fleet.Gateway, "v1/"), "gpt-image-1", fleetKey);
var direct = fleet.GatewayDirect is { } address ? new BenchmarkTarget("fleet-direct", new Uri(address, "v1/"), "gpt-image-1", fleetKey) : null;
await using var portkey = options.SkipPortkey ? null : await PortkeyGateway.StartAsync(options.PortkeyDirectory, ct);
var portkeyTarget = portkey?.Target(emulatorV1, AppHost.PipelineResourceExtensions.EmulatorApiKey);
BenchmarkTarget[] fleets = direct is null ? [gateway] : [gateway, direct];
BenchmarkTarget[] targets = [emulator, .. fleets, .. portkeyTarget is null ? Array.Empty<BenchmarkTarget>() : [portkeyTarget]];

using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { Timeout = TimeSpan.FromMinutes(2) };
var caller = new GenerationCaller(http, options.Size);
var latency = new LatencyProbe(caller);
IReadOnlyDictionary<string, int> Processes() => portkey is null
    ? fleet.Processes()
    : new Dictionary<string, int>(fleet.Processes()) { ["portkey"] = portkey.ProcessId };
await using var memory = new MemorySampler(Processes);
await Task.Delay(TimeSpan.FromSeconds(5), ct);
var idle = memory.Snapshot();
var (_, imageBase64Bytes) = await caller.GenerateAsync(emulator, ct);

// Latency and time to first partial, repeated; the targets take turns within each repeat.
var latencies = targets.ToDictionary(t => t.Name, _ => new List<Distribution>());
var firstPartials = new[] { emulator }.Concat(fleets).ToDictionary(t => t.Name, _ => new List<Distribution>());
HopBreakdown? hops = null;
for (var repeat = 1; repeat <= options.Repeats; repeat++)
{
    foreach (var target in targets)
    {
        Console.WriteLine($"repeat {repeat}/{options.Repeats}: latency, {target.Name} ({options.LatencyRequests} requests)...");
        latencies[target.Name].Add(await latency.MeasureAsync(target, options.WarmupRequests, options.LatencyRequests, ct));
    }
    if (repeat == options.Repeats && options.Dashboard)
    {
        // Where the fleet's time goes, in the state the latency was just measured in: traced requests, read back from the dashboard.
        Console.WriteLine($"per-hop timings from {options.TracedRequests} traced requests...");
        using var telemetry = new DashboardTelemetry(fleet.Dashboard, TimeSpan.FromSeconds(30));
        hops = await new HopProbe(http, options.Size, telemetry).MeasureAsync(gateway, options.TracedRequests, ct);
    }
    foreach (var target in firstPartials.Keys.Select(name => targets.Single(t => t.Name == name)))
    {
        Console.WriteLine($"repeat {repeat}/{options.Repeats}: first partial, {target.Name} ({options.FirstPartialRequests} requests)...");
        firstPartials[target.Name].Add(await latency.MeasureFirstPartialAsync(target, Math.Min(options.WarmupRequests, 50), options.FirstPartialRequests, ct));
    }
}

// Throughput, the fleet and Portkey side by side at each concurrency level.
var throughput = new Dictionary<string, IReadOnlyList<ThroughputResult>> { ["fleet"] = [] };
if (portkeyTarget is not null)
{
    throughput["portkey"] = [];
}
var load = new ThroughputProbe(caller);
IReadOnlyDictionary<string, double> peaksAt64 = new Dictionary<string, double>();
foreach (var concurrency in options.Concurrency)
{
    var requests = Math.Max(options.ThroughputRequests, 4 * concurrency);
    Console.WriteLine($"throughput at concurrency {concurrency} ({requests} requests, cap {options.ThroughputTimeCap.TotalSeconds:0} s)...");
    await using (var levelMemory = new MemorySampler(fleet.Processes))
    {
        throughput["fleet"] = [.. throughput["fleet"], await load.MeasureAsync(gateway, concurrency, requests, options.ThroughputTimeCap, fleet.StoredBlobs, ct)];
        if (concurrency == Targets.LoadConcurrency)
        {
            peaksAt64 = levelMemory.Peaks();
        }
    }
    if (portkeyTarget is not null)
    {
        throughput["portkey"] = [.. throughput["portkey"], await load.MeasureAsync(portkeyTarget, concurrency, requests, options.ThroughputTimeCap, null, ct)];
    }
}

var peaks = memory.Peaks();
Console.WriteLine($"letting the fleet settle for {options.SettleTime.TotalSeconds:0} s...");
await Task.Delay(options.SettleTime, ct);
var after = memory.Snapshot();

var report = new BenchmarkReport
{
    Date = DateTimeOffset.UtcNow,
    Cores = Environment.ProcessorCount,
    Machine = $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}",
    Options = options,
    ImageBase64Bytes = imageBase64Bytes,
    GatewayProxied = direct is not null,
    StartupSeconds = fleet.StartupTime.TotalSeconds,
    Latency = latencies.ToDictionary(l => l.Key, l => (IReadOnlyList<Distribution>)l.Value),
    FirstPartial = firstPartials.ToDictionary(l => l.Key, l => (IReadOnlyList<Distribution>)l.Value),
    Hops = hops,
    Throughput = throughput,
    Memory = idle.Keys.ToDictionary(k => k, k => new MemoryFigures(idle[k], peaks.GetValueOrDefault(k), peaksAt64.GetValueOrDefault(k), after.GetValueOrDefault(k))),
    FleetServices = [.. BenchmarkFleet.FleetServices],
};
Console.WriteLine();
Console.WriteLine(await ReportWriter.WriteAsync(report, options.ResultsDirectory, ct));
Console.WriteLine($"written to {Path.GetFullPath(options.ResultsDirectory)}");
