using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pipeline.Benchmarks.Fleet;

/// <summary>
/// The AppHost's own model (Program.cs) through Aspire's testing builder, as <c>dotnet run --project AppHost</c> runs it:
/// the dashboard receiving every service's traces, the gateway on free loopback ports (behind DCP's endpoint proxy if the
/// model puts one there: then <see cref="GatewayDirect"/> bypasses it), the
/// provider emulator at zero injected latency returning a distinct image every time (so storage writes every one), a known
/// API key, a temporary data folder, and the gateway's per-key limits raised so the benchmark measures the fleet rather
/// than its rate limiter.
/// </summary>
public sealed class BenchmarkFleet : IAsyncDisposable
{
    /// <summary>The API key the benchmark presents to the gateway.</summary>
    public const string ApiKey = "pk-bench-local-only";

    /// <summary>The fleet's own services (the emulator stands in for the providers).</summary>
    public static readonly string[] FleetServices = ["storage", "openai", "openrouter", "declarative", "comfyui", "router", "gateway"];

    private static readonly string[] Services = [.. FleetServices, "emulator"];

    private readonly DistributedApplication _app;
    private readonly string _dataDirectory;

    private BenchmarkFleet(DistributedApplication app, string dataDirectory, TimeSpan startup, Uri? gatewayDirect)
    {
        (_app, _dataDirectory) = (app, dataDirectory);
        StartupTime = startup;
        GatewayDirect = gatewayDirect;
    }

    /// <summary>The gateway's HTTP base address as clients get it (through DCP's proxy when the endpoint is proxied).</summary>
    public Uri Gateway => _app.GetEndpoint("gateway", "http");

    /// <summary>The gateway process's own HTTP address when its endpoint is proxied (the proxy bypassed); null when not proxied.</summary>
    public Uri? GatewayDirect { get; }

    /// <summary>From the start of the built model until every resource reported healthy.</summary>
    public TimeSpan StartupTime { get; }

    /// <summary>The Aspire dashboard (anonymous), where every service's traces arrive.</summary>
    public Uri Dashboard => _app.GetEndpoint("aspire-dashboard", "http");

    /// <summary>Image files storage holds (content-addressed: one per distinct image stored).</summary>
    public int StoredBlobs()
    {
        var blobs = Path.Combine(_dataDirectory, "storage", "blobs");
        return Directory.Exists(blobs) ? Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories).Count(f => !f.EndsWith(".tmp", StringComparison.Ordinal)) : 0;
    }

    /// <summary>The emulator's base address (the provider every adapter calls).</summary>
    public Uri Emulator => _app.GetEndpoint("emulator", "http");

    /// <summary>Service name → pid of the service process (DCP starts each as the only child of a <c>dotnet run</c>).</summary>
    public IReadOnlyDictionary<string, int> Processes() => ProcessesOf(_app);

    private static Dictionary<string, int> ProcessesOf(DistributedApplication app)
    {
        var processes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in Services)
        {
            if (app.ResourceNotifications.TryGetCurrentState(name, out var e)
                && e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value)
            {
                var launcher = Convert.ToInt32(value, CultureInfo.InvariantCulture);
                processes[name] = Pipeline.Tests.Measurement.ProcessProbe.ChildOf(launcher) ?? launcher;
            }
        }
        return processes;
    }

    /// <summary>
    /// Builds the model, starts it (with the dashboard receiving every service's traces unless <paramref name="withDashboard"/>
    /// is false) and waits until every resource is healthy.
    /// </summary>
    public static async Task<BenchmarkFleet> StartAsync(TextWriter log, bool withDashboard, CancellationToken cancellationToken)
    {
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startup.CancelAfter(TimeSpan.FromMinutes(3));
        var dataDirectory = Directory.CreateTempSubdirectory("pipeline-bench-").FullName;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [
                $"--PIPELINE_API_KEY={ApiKey}", "--OPENAI_API_KEY=", "--OPENROUTER_API_KEY=", $"--Pipeline:DataDirectory={dataDirectory}",
                // The gateway's public ports, free ones so a fleet already running on 8080/8081 is no obstacle.
                $"--Gateway:HttpPort={LoopbackPort.Free()}", $"--Gateway:GrpcPort={LoopbackPort.Free()}",
                $"--ASPNETCORE_URLS=http://127.0.0.1:{LoopbackPort.Free()}", $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{LoopbackPort.Free()}",
                "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true", "--ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true",
            ],
            (options, _) => options.DisableDashboard = !withDashboard,
            startup.Token);
        // The services' console lines and Aspire's own progress would drown the benchmark's output.
        builder.Services.AddLogging(logging => logging.AddFilter("AppHost.Resources", LogLevel.Warning).AddFilter("Aspire.Hosting", LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
        var gateway = builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "gateway"));
        foreach (var (name, value) in GatewayLimits)
        {
            gateway.WithEnvironment(name, value);
        }
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "emulator"))
            .WithEnvironment("Emulator__DistinctImages", "true");
        var app = await builder.BuildAsync(startup.Token);
        TimeSpan started;
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await app.StartAsync(startup.Token);
            await Task.WhenAll(Services.Select(s => app.ResourceNotifications.WaitForResourceHealthyAsync(s, startup.Token)));
            started = clock.Elapsed;
        }
        catch
        {
            log.WriteLine("the fleet did not become healthy within 3 minutes; resource states:");
            foreach (var name in Services)
            {
                log.WriteLine($"{name}: {(app.ResourceNotifications.TryGetCurrentState(name, out var e) ? e.Snapshot.State?.Text : "unknown")}");
            }
            await app.DisposeAsync();
            throw;
        }
        // DCP's proxy listens on the endpoint's port and hands the process a fresh one (Kestrel__Endpoints__http__Url).
        Uri? direct = null;
        if (gateway.Resource.GetEndpoint("http").EndpointAnnotation.IsProxied)
        {
            var environment = await ProcessProbe.EnvironmentAsync(ProcessesOf(app)["gateway"], cancellationToken);
            direct = new Uri(environment["Kestrel__Endpoints__http__Url"].Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        }
        return new BenchmarkFleet(app, dataDirectory, started, direct);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    /// <summary>Per-key request and stream limits far above what the load generator can reach.</summary>
    private static readonly (string Name, string Value)[] GatewayLimits =
    [
        ("Gateway__RateLimits__RequestsPerWindow", "1000000"),
        ("Gateway__RateLimits__ConcurrentStreams", "10000"),
    ];
}
