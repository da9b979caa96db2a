using System.Net.Http.Headers;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

// Every fleet test starts real processes on 2 cores; one at a time keeps them bounded and the timings honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AppHost.Tests.Fleet;

/// <summary>
/// The AppHost's whole model started once for the <see cref="FleetCollection"/>: emulator in place of the providers (keys
/// cleared), a known API key of tenant default plus keys of tenants alpha, beta and an admin, a temporary data folder, every port random, and the Aspire dashboard on with anonymous
/// access so tests can read its telemetry API. Emulator partials are 1 s apart so a stream can be interrupted mid-way.
/// </summary>
public sealed class FleetFixture : IAsyncLifetime
{
    public const string ApiKey = "pk-fleet-test-key";

    /// <summary>Keys of tenants alpha and beta, and an admin of tenant ops (<c>PIPELINE_API_KEYS</c>).</summary>
    public const string AlphaKey = "pk-fleet-alpha", BetaKey = "pk-fleet-beta", AdminKey = "pk-fleet-ops";

    /// <summary>
    /// Keys of tenant reliability, for the reliability slice alone: its 1,000 requests spend these keys' rate limits, never
    /// the ones the other tests use.
    /// </summary>
    public static readonly string[] ReliabilityKeys = ["pk-fleet-reliability-1", "pk-fleet-reliability-2", "pk-fleet-reliability-3", "pk-fleet-reliability-4", "pk-fleet-reliability-5"];

    /// <summary>The resources the AppHost declares, all healthy once the fixture is initialized.</summary>
    public static readonly string[] Services = Pipeline.Reliability.Fleet.FleetUnderTest.Services;

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The fleet is not started.");

    /// <summary>The Aspire dashboard's base address (UI and <c>/api/telemetry</c>); the testing builder randomizes its port too.</summary>
    public Uri Dashboard => App.GetEndpoint("aspire-dashboard", "http");

    /// <summary>A fresh <c>Pipeline:DataDirectory</c>, deleted at the end.</summary>
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("pipeline-fleet-").FullName;

    /// <summary>
    /// The router's catalogue (<c>Pipeline:CatalogueDirectory</c>): a copy of the shipped one in <see cref="DataDirectory"/>,
    /// which tests may add files to while the fleet runs (the router reloads).
    /// </summary>
    public string CatalogueDirectory => Path.Combine(DataDirectory, "catalogue");

    public async ValueTask InitializeAsync()
    {
        using var startup = new CancellationTokenSource(TestTimeouts.FleetStartup);
        CopyShippedCatalogue(CatalogueDirectory);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [
                $"--PIPELINE_API_KEY={ApiKey}", $"--PIPELINE_API_KEYS={AlphaKey}=alpha,{BetaKey}=beta,{AdminKey}=ops:admin,{string.Join(",", ReliabilityKeys.Select(k => $"{k}=reliability"))}",
                "--OPENAI_API_KEY=", "--OPENROUTER_API_KEY=",
                "--Parameters:openai-api-key=", "--Parameters:openrouter-api-key=",
                $"--Pipeline:DataDirectory={DataDirectory}", $"--Pipeline:CatalogueDirectory={CatalogueDirectory}",
                $"--ASPNETCORE_URLS=http://127.0.0.1:{LoopbackPort.Free()}", $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{LoopbackPort.Free()}",
                "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true", "--ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true",
                // The gateway keeps its stable public ports (8080, 8081) as under dotnet run; the testing builder would
                // randomize them. Internal services get fresh ports either way.
                "--DcpPublisher:RandomizePorts=false",
            ],
            (options, _) => options.DisableDashboard = false,
            startup.Token).FleetStartupTimeout();
        // Slow partials keep a streamed call in flight long enough to kill its adapter between two frames.
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "emulator"))
            .WithEnvironment("Emulator__Faults__Default", "partial-delay=1s");
        _app = await builder.BuildAsync(startup.Token).FleetStartupTimeout();
        await _app.StartAsync(startup.Token).FleetStartupTimeout();
        await Task.WhenAll(Services.Select(s => _app.ResourceNotifications.WaitForResourceHealthyAsync(s, startup.Token))).FleetStartupTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().AsTask().WaitAsync(TestTimeouts.FleetStartup);
        }
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>An HttpClient on the gateway's http endpoint that presents <paramref name="key"/> (default <see cref="ApiKey"/>).</summary>
    public HttpClient CreateGatewayClient(string key = ApiKey)
    {
        var client = App.CreateHttpClient("gateway", "http");
        client.Timeout = TestTimeouts.Default;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>The gateway's public gRPC address (stable, as under <c>dotnet run</c>).</summary>
    public static Uri GatewayGrpc { get; } = new("http://127.0.0.1:8081");

    /// <summary>The pid of the service process itself (not of DCP's <c>dotnet run</c>).</summary>
    public int ServiceProcessId(string resourceName) => ProcessTree.ServiceProcessId(App, resourceName);

    private static void CopyShippedCatalogue(string target)
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "catalogue-shipped");
        foreach (var file in Directory.EnumerateFiles(shipped, "*.json", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(shipped, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }
}

/// <summary>The tests that share one started fleet.</summary>
[CollectionDefinition(Name)]
public sealed class FleetCollection : ICollectionFixture<FleetFixture>
{
    public const string Name = "fleet";
}
