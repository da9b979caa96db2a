using System.Runtime.InteropServices;
using AppHost.Hosting.Internal;

namespace AppHost.Hosting;

/// <summary>The running application: starts every resource, reports their state, stops them all.</summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    internal static readonly AsyncLocal<BuildInterceptor?> Interceptor = new();

    private readonly DistributedApplicationBuilder _builder;
    private readonly List<ResourceRunner> _runners = [];
    private readonly List<Task> _runs = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private ConsoleOutput? _output;
    private DashboardPublisher? _publisher;
    private Task? _stopped;

    internal DistributedApplication(DistributedApplicationBuilder builder) => _builder = builder;

    /// <summary>A builder configured from <paramref name="args"/> and the environment.</summary>
    public static DistributedApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = new DistributedApplicationBuilder(args);
        Interceptor.Value?.Configure(builder);
        return builder;
    }

    public ResourceNotificationService ResourceNotifications { get; } = new();

    public IReadOnlyList<ProjectResource> Resources => _builder.Resources;

    public DistributedApplicationOptions Options => _builder.Options;

    /// <summary>The dashboard resource, or null when the model has none (see <c>AddDashboard()</c>).</summary>
    public ProjectResource? Dashboard => _builder.Dashboard;

    /// <summary>Allocates ports, prints the banner and starts every resource (each waits for its dependencies itself).</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        new PortAllocator().Allocate(Resources, Options.RandomizePorts);
        _output = new ConsoleOutput(Resources.Select(r => r.Name), Options.EchoConsole);
        if (Dashboard is { } dashboard)
        {
            _publisher = new DashboardPublisher(dashboard, Resources, ResourceNotifications, _output);
            _publisher.Start();
            _output.Event($"dashboard: {dashboard.GetEndpointAnnotation(DashboardBuilderExtensions.HttpEndpoint).Url} " +
                $"(OTLP/gRPC {dashboard.GetEndpointAnnotation(DashboardBuilderExtensions.OtlpGrpcEndpoint).Url}, " +
                $"OTLP/HTTP {dashboard.GetEndpointAnnotation(DashboardBuilderExtensions.OtlpHttpEndpoint).Url})");
        }
        foreach (var message in _builder.StartupMessages)
        {
            _output.Event(message);
        }
        foreach (var endpoint in Resources.SelectMany(r => r.Endpoints.Where(e => e.IsExternal).Select(e => (r.Name, e))))
        {
            _output.Event($"{endpoint.Name} {endpoint.e.Name}: {endpoint.e.Url}");
        }
        AppDomain.CurrentDomain.ProcessExit += KillAllOnExit;
        foreach (var resource in Resources)
        {
            var runner = new ResourceRunner(resource, Options, ResourceNotifications, _output, _http, Dashboard);
            _runners.Add(runner);
            _runs.Add(Task.Run(() => runner.RunAsync(_stopping.Token), CancellationToken.None));
        }
        return Task.CompletedTask;
    }

    /// <summary>Stops every resource (SIGTERM, then a kill after <see cref="DistributedApplicationOptions.ShutdownTimeout"/>) and waits for them.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => (_stopped ??= StopCoreAsync()).WaitAsync(cancellationToken);

    /// <summary>Starts, then runs until Ctrl+C / SIGTERM / <paramref name="cancellationToken"/>, then stops everything. A second Ctrl+C kills at once.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var shutdown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            if (!shutdown.TrySetResult())
            {
                KillAll();
            }
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal);
        using var registration = cancellationToken.Register(() => shutdown.TrySetResult());

        await StartAsync(cancellationToken);
        await shutdown.Task;
        _output?.Event("stopping: SIGTERM to every resource, kill after " + Options.ShutdownTimeout.TotalSeconds + "s");
        await StopAsync(CancellationToken.None);
        _output?.Event("stopped");
    }

    public void Run() => RunAsync().GetAwaiter().GetResult();

    /// <summary>The URL of <paramref name="endpointName"/> of resource <paramref name="resourceName"/>, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri GetEndpoint(string resourceName, string endpointName = "http") =>
        new(Resource(resourceName).GetEndpointAnnotation(endpointName).Url);

    /// <summary>The recent console lines of a resource (<c>apphost</c> for the AppHost's own events).</summary>
    public IReadOnlyList<string> GetConsoleLogs(string resourceName) => _output?.Recent(resourceName) ?? [];

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _http.Dispose();
        _stopping.Dispose();
    }

    private ProjectResource Resource(string name) =>
        Resources.FirstOrDefault(r => r.Name == name) ?? throw new InvalidOperationException($"No resource named '{name}'.");

    private async Task StopCoreAsync()
    {
        await _stopping.CancelAsync();
        // The dashboard goes last, so it receives what the services flush while they stop.
        await Task.WhenAll(_runners.Where(r => r.Resource != Dashboard).Select(r => r.StopAsync()));
        if (_publisher is not null)
        {
            await _publisher.DisposeAsync();
        }
        await Task.WhenAll(_runners.Where(r => r.Resource == Dashboard).Select(r => r.StopAsync()));
        await Task.WhenAll(_runs);
        AppDomain.CurrentDomain.ProcessExit -= KillAllOnExit;
    }

    private void KillAllOnExit(object? sender, EventArgs e) => KillAll();

    private void KillAll()
    {
        _stopping.Cancel();
        foreach (var runner in _runners)
        {
            runner.Kill();
        }
    }

    /// <summary>Lets the testing builder configure the builder Program.cs creates and take it at <c>Build()</c>.</summary>
    internal sealed class BuildInterceptor(Action<DistributedApplicationBuilder> configure)
    {
        public DistributedApplicationBuilder? Captured { get; set; }

        public void Configure(DistributedApplicationBuilder builder) => configure(builder);
    }
}
