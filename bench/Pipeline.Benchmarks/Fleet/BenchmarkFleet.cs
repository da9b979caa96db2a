using AppHost.Hosting;
using AppHost.Hosting.Testing;

namespace Pipeline.Benchmarks.Fleet;

/// <summary>
/// The AppHost's own model (Program.cs), started with the testing defaults: random loopback ports, the provider emulator
/// at zero injected latency, a known API key, and the gateway's per-key limits raised so the benchmark measures the fleet
/// rather than its rate limiter.
/// </summary>
public sealed class BenchmarkFleet : IAsyncDisposable
{
    /// <summary>The API key the benchmark presents to the gateway.</summary>
    public const string ApiKey = "pk-bench-local-only";

    private readonly DistributedApplication _app;

    private BenchmarkFleet(DistributedApplication app) => _app = app;

    /// <summary>The gateway's HTTP base address.</summary>
    public Uri Gateway => _app.GetEndpoint("gateway", "http");

    /// <summary>The emulator's base address (the provider every adapter calls).</summary>
    public Uri Emulator => _app.GetEndpoint("emulator", "http");

    /// <summary>Service name → current pid, for the memory sampler.</summary>
    public IReadOnlyDictionary<string, int> Processes() =>
        _app.Resources.Select(r => (r.Name, Pid: _app.GetProcessId(r.Name)))
            .Where(p => p.Pid is not null)
            .ToDictionary(p => p.Name, p => p.Pid!.Value, StringComparer.Ordinal);

    /// <summary>Builds the model, starts it and waits until every resource is healthy.</summary>
    public static async Task<BenchmarkFleet> StartAsync(TextWriter log, CancellationToken cancellationToken)
    {
        var builder = DistributedApplicationTestingBuilder.CreateFromAppHost($"PIPELINE_API_KEY={ApiKey}");
        var gateway = builder.Resources.Single(r => r.Name == "gateway");
        foreach (var (name, value) in GatewayLimits)
        {
            gateway.Environment.Add((name, () => value));
        }
        var app = builder.Build();
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startup.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await app.StartAsync(startup.Token);
            await app.WaitForAllHealthyAsync(startup.Token);
        }
        catch
        {
            log.WriteLine("the fleet did not become healthy within 3 minutes; recent output:");
            foreach (var line in app.Resources.Select(r => r.Name).Prepend("apphost").SelectMany(r => app.GetConsoleLogs(r).TakeLast(15).Select(l => $"{r} | {l}")))
            {
                log.WriteLine(line);
            }
            await app.DisposeAsync();
            throw;
        }
        return new BenchmarkFleet(app);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>Per-key request and stream limits far above what the load generator can reach.</summary>
    private static readonly (string Name, string Value)[] GatewayLimits =
    [
        ("Gateway__RateLimits__RequestsPerWindow", "1000000"),
        ("Gateway__RateLimits__ConcurrentStreams", "10000"),
    ];
}
