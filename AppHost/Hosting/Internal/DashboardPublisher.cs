using System.Net.Http.Json;
using System.Threading.Channels;

namespace AppHost.Hosting.Internal;

/// <summary>
/// Pushes resource states and console lines to the dashboard's internal API, every 250 ms while it is ready:
/// <c>POST /api/resources</c> (every resource, after any change) and <c>POST /api/console</c> (new lines). Lines wait in a
/// bounded queue (oldest dropped) while the dashboard is down; after a failed push every state is sent again.
/// </summary>
internal sealed class DashboardPublisher : IAsyncDisposable
{
    private const int MaxQueuedLines = 20_000;
    private const int MaxLinesPerPush = 2_000;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly ProjectResource _dashboard;
    private readonly IReadOnlyList<ProjectResource> _resources;
    private readonly ResourceNotificationService _notifications;
    private readonly ConsoleOutput _output;
    private readonly HttpClient _http;
    private readonly Channel<ConsoleLineMessage> _lines = Channel.CreateBounded<ConsoleLineMessage>(
        new BoundedChannelOptions(MaxQueuedLines) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly List<ConsoleLineMessage> _unsent = [];
    private readonly CancellationTokenSource _stopping = new();
    private int _statesChanged = 1;
    private Task _loop = Task.CompletedTask;

    public DashboardPublisher(ProjectResource dashboard, IReadOnlyList<ProjectResource> resources, ResourceNotificationService notifications, ConsoleOutput output)
    {
        _dashboard = dashboard;
        _resources = resources;
        _notifications = notifications;
        _output = output;
        _http = new HttpClient { BaseAddress = new Uri(dashboard.GetEndpointAnnotation(DashboardBuilderExtensions.HttpEndpoint).Url), Timeout = TimeSpan.FromSeconds(5) };
    }

    public void Start()
    {
        _notifications.Updated += OnUpdated;
        _output.LineWritten += OnLine;
        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    public async ValueTask DisposeAsync()
    {
        _notifications.Updated -= OnUpdated;
        _output.LineWritten -= OnLine;
        await _stopping.CancelAsync();
        await _loop;
        _http.Dispose();
        _stopping.Dispose();
    }

    private void OnUpdated(ResourceSnapshot snapshot) => Volatile.Write(ref _statesChanged, 1);

    private void OnLine(string resource, string text) => _lines.Writer.TryWrite(new ConsoleLineMessage(resource, DateTime.UtcNow, text));

    private async Task RunAsync(CancellationToken stopping)
    {
        var hasHealthCheck = _dashboard.HealthCheck is not null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _notifications.WaitForResourceAsync(_dashboard.Name, s => s.IsReady(hasHealthCheck), stopping);
                await PushAsync(stopping);
                await Task.Delay(Interval, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The dashboard is restarting or busy: keep the lines, send every state again once it answers.
                Volatile.Write(ref _statesChanged, 1);
                if (!await DelayAsync(stopping))
                {
                    return;
                }
            }
        }
    }

    private static async Task<bool> DelayAsync(CancellationToken stopping)
    {
        try
        {
            await Task.Delay(Interval, stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task PushAsync(CancellationToken stopping)
    {
        if (Interlocked.Exchange(ref _statesChanged, 0) == 1)
        {
            using var response = await _http.PostAsJsonAsync("/api/resources", States(), stopping);
            response.EnsureSuccessStatusCode();
        }
        while (_unsent.Count < MaxLinesPerPush && _lines.Reader.TryRead(out var line))
        {
            _unsent.Add(line);
        }
        if (_unsent.Count > 0)
        {
            using var response = await _http.PostAsJsonAsync("/api/console", _unsent, stopping);
            response.EnsureSuccessStatusCode();
            _unsent.Clear();
        }
    }

    private List<ResourceStateMessage> States()
    {
        var states = _resources.Select(r =>
        {
            var snapshot = _notifications.GetSnapshot(r.Name);
            return new ResourceStateMessage(r.Name, "project", snapshot?.State ?? KnownResourceStates.NotStarted, snapshot?.Health?.ToString(),
                snapshot?.ProcessId, snapshot?.ExitCode, snapshot?.RestartCount ?? 0,
                [.. r.Endpoints.Where(e => e.AllocatedPort is not null).Select(e => new EndpointMessage(e.Name, e.Url))]);
        }).ToList();
        states.Add(new ResourceStateMessage("apphost", "apphost", KnownResourceStates.Running, null, Environment.ProcessId, null, 0, []));
        return states;
    }

    private sealed record ResourceStateMessage(
        string Name, string Type, string State, string? Health, int? Pid, int? ExitCode, int Restarts, IReadOnlyList<EndpointMessage> Endpoints);

    private sealed record EndpointMessage(string Name, string Url);

    private sealed record ConsoleLineMessage(string Resource, DateTime Timestamp, string Text);
}
