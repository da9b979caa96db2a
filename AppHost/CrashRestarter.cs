using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AppHost;

/// <summary>
/// Starts a project again when its process exits on its own (Running → Exited / Finished without Stopping, i.e. not a
/// Stop from the dashboard and not the AppHost shutting down), after <see cref="RestartBackoff"/>. Each restart is logged
/// to the AppHost console and to the resource's console log in the dashboard. Started at <see cref="BeforeStartEvent"/>
/// (see <see cref="FleetDefaultsExtensions.WithFleetDefaults"/>), so it also sees a dependency that crashes while the
/// resources that wait for it are still starting; it runs until the AppHost stops.
/// </summary>
internal sealed partial class CrashRestarter(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    ResourceLoggerService resourceLogs,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<CrashRestarter> logger)
{
    private readonly ConcurrentDictionary<string, Tracked> _tracked = new(StringComparer.Ordinal);

    /// <summary>Starts watching resource states until <see cref="IHostApplicationLifetime.ApplicationStopping"/>.</summary>
    public void Start() => _ = Task.Run(() => WatchAsync(lifetime.ApplicationStopping));

    private async Task WatchAsync(CancellationToken stoppingToken)
    {
        var projects = model.Resources.OfType<ProjectResource>().ToHashSet();
        try
        {
            await foreach (var e in notifications.WatchAsync(stoppingToken))
            {
                if (e.Resource is not ProjectResource project || !projects.Contains(project))
                {
                    continue;
                }
                var state = e.Snapshot.State?.Text;
                var tracked = _tracked.GetOrAdd(e.ResourceId, _ => new Tracked());
                var previous = tracked.State;
                tracked.State = state;
                if (state == KnownResourceStates.Running && previous != KnownResourceStates.Running)
                {
                    tracked.RunningSince = time.GetTimestamp();
                }
                if (previous == KnownResourceStates.Running && KnownResourceStates.TerminalStates.Contains(state)
                    && !lifetime.ApplicationStopping.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
                {
                    tracked.Attempt = time.GetElapsedTime(tracked.RunningSince) >= RestartBackoff.ResetAfter ? 1 : tracked.Attempt + 1;
                    _ = RestartAsync(e.ResourceId, e.Snapshot.ExitCode, tracked.Attempt, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RestartAsync(string resourceId, int? exitCode, int attempt, CancellationToken stoppingToken)
    {
        var delay = RestartBackoff.Delay(attempt);
        var resourceLog = resourceLogs.GetLogger(resourceId);
        Exited(logger, resourceId, exitCode, delay.TotalSeconds);
        Exited(resourceLog, resourceId, exitCode, delay.TotalSeconds);
        try
        {
            await Task.Delay(delay, time, stoppingToken);
            if (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                return;
            }
            // An exited project offers Start, not Restart (the dashboard's rule); this is the command its button runs.
            var result = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, stoppingToken);
            if (!result.Success)
            {
                RestartFailed(logger, resourceId, result.Message);
                RestartFailed(resourceLog, resourceId, result.Message);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private sealed class Tracked
    {
        public string? State { get; set; }

        public long RunningSince { get; set; }

        public int Attempt { get; set; }
    }

    [LoggerMessage(1, LogLevel.Warning, "{Resource} exited with code {ExitCode}; restarting in {DelaySeconds:0}s")]
    private static partial void Exited(ILogger logger, string resource, int? exitCode, double delaySeconds);

    [LoggerMessage(2, LogLevel.Error, "{Resource} could not be started again: {Error}")]
    private static partial void RestartFailed(ILogger logger, string resource, string? error);
}
