using Pipeline.Benchmarks;
using Pipeline.Benchmarks.Fleet;
using Pipeline.Benchmarks.Peers;
using Pipeline.Benchmarks.Probes;
using Pipeline.Benchmarks.Reporting;

var options = BenchmarkOptions.Parse(args);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
var ct = stop.Token;

// The fleet from the AppHost model, and the two references it is compared with.
Console.WriteLine("starting the fleet (AppHost model, emulator at zero latency)...");
await using var fleet = await BenchmarkFleet.StartAsync(Console.Out, ct);
var emulatorV1 = new Uri(fleet.Emulator, "v1/");
var emulator = new BenchmarkTarget("emulator", emulatorV1, "gpt-image-1",
    new Dictionary<string, string> { ["Authorization"] = $"Bearer {AppHost.PipelineResourceExtensions.EmulatorApiKey}" });
var gateway = new BenchmarkTarget("fleet", new Uri(fleet.Gateway, "v1/"), "gpt-image-1",
    new Dictionary<string, string> { ["Authorization"] = $"Bearer {BenchmarkFleet.ApiKey}" });
await using var portkey = options.SkipPortkey ? null : await PortkeyGateway.StartAsync(options.PortkeyDirectory, ct);
var targets = portkey is null ? [emulator, gateway] : new[] { emulator, gateway, portkey.Target(emulatorV1, AppHost.PipelineResourceExtensions.EmulatorApiKey) };

using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { Timeout = TimeSpan.FromMinutes(2) };
var caller = new GenerationCaller(http, options.Size);
var latency = new LatencyProbe(caller);
await using var memory = new MemorySampler(() => portkey is null
    ? fleet.Processes()
    : new Dictionary<string, int>(fleet.Processes()) { ["portkey"] = portkey.ProcessId });
await Task.Delay(TimeSpan.FromSeconds(2), ct);
var idle = memory.Snapshot();
var (_, imageBase64Bytes) = await caller.GenerateAsync(emulator, ct);

// Latency and time to first partial, repeated; the targets take turns within each repeat.
var latencies = targets.ToDictionary(t => t.Name, _ => new List<Distribution>());
var firstPartials = new[] { emulator, gateway }.ToDictionary(t => t.Name, _ => new List<Distribution>());
for (var repeat = 1; repeat <= options.Repeats; repeat++)
{
    foreach (var target in targets)
    {
        Console.WriteLine($"repeat {repeat}/{options.Repeats}: latency, {target.Name} ({options.LatencyRequests} requests)...");
        latencies[target.Name].Add(await latency.MeasureAsync(target, options.WarmupRequests, options.LatencyRequests, ct));
    }
    foreach (var target in new[] { emulator, gateway })
    {
        Console.WriteLine($"repeat {repeat}/{options.Repeats}: first partial, {target.Name} ({options.FirstPartialRequests} requests)...");
        firstPartials[target.Name].Add(await latency.MeasureFirstPartialAsync(target, Math.Min(options.WarmupRequests, 10), options.FirstPartialRequests, ct));
    }
}

// Throughput through the gateway at each concurrency level.
var throughput = new List<ThroughputResult>();
var load = new ThroughputProbe(caller);
foreach (var concurrency in options.Concurrency)
{
    var requests = Math.Max(options.ThroughputRequests, 4 * concurrency);
    Console.WriteLine($"throughput at concurrency {concurrency} ({requests} requests, cap {options.ThroughputTimeCap.TotalSeconds:0} s)...");
    throughput.Add(await load.MeasureAsync(gateway, concurrency, requests, options.ThroughputTimeCap, ct));
}

var peaks = memory.Peaks();
await Task.Delay(TimeSpan.FromSeconds(2), ct);
var after = memory.Snapshot();

var report = new BenchmarkReport
{
    Date = DateTimeOffset.UtcNow,
    Cores = Environment.ProcessorCount,
    Machine = $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}",
    Options = options,
    ImageBase64Bytes = imageBase64Bytes,
    Latency = latencies.ToDictionary(l => l.Key, l => (IReadOnlyList<Distribution>)l.Value),
    FirstPartial = firstPartials.ToDictionary(l => l.Key, l => (IReadOnlyList<Distribution>)l.Value),
    Throughput = throughput,
    Memory = idle.Keys.ToDictionary(k => k, k => new MemoryFigures(idle[k], peaks.GetValueOrDefault(k), after.GetValueOrDefault(k))),
};
Console.WriteLine();
Console.WriteLine(await ReportWriter.WriteAsync(report, options.ResultsDirectory, ct));
Console.WriteLine($"written to {Path.GetFullPath(options.ResultsDirectory)}");
