using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace AppHost.Tests.Scaled;

/// <summary>
/// The AppHost's scaled profile (<c>--scaled</c>) started once for the <see cref="ScaledFleetCollection"/>: PostgreSQL and
/// s3rver as executables, two gateways, routers and storage services, the emulator for the providers (keys cleared), a
/// temporary data folder, every port random and the dashboard on for its telemetry API. Limits are raised so that load
/// tests are not refused, except for <see cref="LimitedKey"/>. Emulator partials are 400 ms apart, so a stream can be
/// interrupted mid-way.
/// </summary>
public sealed class ScaledFleetFixture : IAsyncLifetime
{
    public const string ApiKey = "pk-scaled-test-key";

    /// <summary>A key of tenant limited with its own window of <see cref="LimitedRequestsPerWindow"/> requests (an hour).</summary>
    public const string LimitedKey = "pk-scaled-limited";

    public const int LimitedRequestsPerWindow = 5;

    /// <summary>The replicated services and the services each has one of.</summary>
    public static readonly string[] Replicated = ["gateway", "router", "storage"];

    public static readonly string[] Single = ["postgres", "s3", "emulator", "openai", "openrouter", "declarative", "comfyui"];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _instances = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _watching = new();
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The scaled fleet is not started.");

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("pipeline-scaled-").FullName;

    /// <summary>The gateways' public gRPC address (DCP's proxy, which spreads connections over both).</summary>
    public Uri GatewayGrpc => App.GetEndpoint("gateway", "grpc");

    public Uri Dashboard => App.GetEndpoint("aspire-dashboard", "http");

    public async ValueTask InitializeAsync()
    {
        using var startup = new CancellationTokenSource(TestTimeouts.FleetStartup);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [
                "--scaled",
                $"--PIPELINE_API_KEY={ApiKey}", $"--PIPELINE_API_KEYS={LimitedKey}=limited",
                "--OPENAI_API_KEY=", "--OPENROUTER_API_KEY=", "--Parameters:openai-api-key=", "--Parameters:openrouter-api-key=",
                $"--Pipeline:DataDirectory={DataDirectory}",
                $"--ASPNETCORE_URLS=http://127.0.0.1:{LoopbackPort.Free()}", $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{LoopbackPort.Free()}",
                "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true", "--ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true",
            ],
            (options, _) => options.DisableDashboard = false,
            startup.Token).FleetStartupTimeout();
        Resource(builder, "gateway")
            .WithEnvironment("Gateway__RateLimits__RequestsPerWindow", "1000000")
            .WithEnvironment("Gateway__RateLimits__ConcurrentStreams", "10000")
            .WithEnvironment("Gateway__RateLimits__Window", "01:00:00")
            // The limited key is the second one the AppHost gives the gateway (after PIPELINE_API_KEY).
            .WithEnvironment("Gateway__Keys__1__RequestsPerWindow", LimitedRequestsPerWindow.ToString(CultureInfo.InvariantCulture));
        Resource(builder, "emulator").WithEnvironment("Emulator__Faults__Default", "partial-delay=400ms");
        _app = await builder.BuildAsync(startup.Token).FleetStartupTimeout();
        _ = RecordInstancesAsync(_app, _watching.Token);
        await _app.StartAsync(startup.Token).FleetStartupTimeout();
        var expected = Replicated.Length * 2 + Single.Length;
        while (Instances([.. Replicated, .. Single]).Count < expected)
        {
            await Task.Delay(100, startup.Token);
        }
        await Task.WhenAll(Instances([.. Replicated, .. Single]).Select(i => WaitHealthyAsync(i, startup.Token))).FleetStartupTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        await _watching.CancelAsync();
        if (_app is not null)
        {
            await _app.DisposeAsync().AsTask().WaitAsync(TestTimeouts.FleetStartup);
        }
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>The process names (DCP resource ids) of the services' replicas, as their notifications named them.</summary>
    public IReadOnlyList<string> Instances(params string[] services) =>
        [.. _instances.Where(i => services.Contains(i.Value)).Select(i => i.Key).Order(StringComparer.Ordinal)];

    private async Task RecordInstancesAsync(DistributedApplication app, CancellationToken ct)
    {
        try
        {
            await foreach (var e in app.ResourceNotifications.WatchAsync(ct))
            {
                _instances.TryAdd(e.ResourceId, e.Resource.Name);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>The pid of a replica's service process.</summary>
    public int ProcessId(string instance) => Fleet.ProcessTree.ServiceProcessId(App, instance);

    /// <summary>Until the instance (one replica: the wait by name would take any of them) runs and its health checks pass.</summary>
    public async Task WaitHealthyAsync(string instance, CancellationToken ct)
    {
        await foreach (var e in App.ResourceNotifications.WatchAsync(ct))
        {
            if (e.ResourceId == instance && e.Snapshot.State?.Text == KnownResourceStates.Running
                && e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
            {
                return;
            }
        }
    }

    private static IResourceBuilder<ProjectResource> Resource(IDistributedApplicationTestingBuilder builder, string name) =>
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == name));
}

/// <summary>The tests that share one started scaled fleet.</summary>
[CollectionDefinition(Name)]
public sealed class ScaledFleetCollection : ICollectionFixture<ScaledFleetFixture>
{
    public const string Name = "scaled fleet";
}
