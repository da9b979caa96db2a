using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using Pipeline.Reliability.Fleet;

namespace Pipeline.Reliability.Faults;

/// <summary>
/// Process faults: a service killed (the AppHost's CrashRestarter starts it again), and a service kept down by killing
/// each process the CrashRestarter starts. (Aspire's Stop command, the dashboard's button, would keep it down without
/// the CrashRestarter interfering, but on this fleet DCP times out stopping a service launched through <c>dotnet run</c>
/// and leaves the resource in state Unknown, never to run again; see the fault matrix's notes.)
/// </summary>
internal sealed class FleetProcesses(FleetUnderTest fleet)
{
    /// <summary>Kills <paramref name="service"/>'s process; returns the pid of its launcher (what Aspire reports), to wait for a new one.</summary>
    public string Kill(string service)
    {
        var launcher = LauncherPid(service) ?? throw new InvalidOperationException($"{service} has no process to kill");
        var pid = fleet.Processes().TryGetValue(service, out var p) ? p : throw new InvalidOperationException($"{service} has no process to kill");
        using var process = Process.GetProcessById(pid);
        process.Kill();
        return launcher;
    }

    /// <summary>
    /// Keeps <paramref name="service"/> down for <paramref name="duration"/>: kills its process, and each new one the
    /// CrashRestarter starts as soon as it appears (looked for every 100 ms, well before a service can listen); returns
    /// the last launcher killed, for <see cref="WaitRestartedAsync"/>, and how many processes were killed.
    /// </summary>
    public async Task<(string? Launcher, int Kills)> KeepDownAsync(string service, TimeSpan duration, CancellationToken cancellationToken)
    {
        string? last = null;
        var kills = 0;
        var down = Stopwatch.StartNew();
        while (down.Elapsed < duration)
        {
            var launcher = LauncherPid(service);
            // Only the service process itself, never the launcher alone: killing the launcher could orphan a running service.
            if (launcher is not null && launcher != last && fleet.Processes().TryGetValue(service, out var pid)
                && pid.ToString(System.Globalization.CultureInfo.InvariantCulture) != launcher)
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                    last = launcher;
                    kills++;
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
                {
                    // It exited on its own in between.
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
        return (last, kills);
    }

    /// <summary>Waits until <paramref name="service"/> runs under a launcher other than <paramref name="killedLauncher"/>, then until the fleet is healthy.</summary>
    public async Task WaitRestartedAsync(string service, string killedLauncher, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            if (!Restarted(service, killedLauncher))
            {
                await foreach (var e in fleet.App.ResourceNotifications.WatchAsync(bounded.Token))
                {
                    if (e.Resource.Name == service && Restarted(service, killedLauncher))
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{service} was not running again {timeout.TotalSeconds:0} s after it was killed");
        }
        await fleet.WaitHealthyAsync(timeout, cancellationToken);
    }

    private bool Restarted(string service, string killedLauncher) =>
        fleet.App.ResourceNotifications.TryGetCurrentState(service, out var e) && e.Snapshot.State?.Text == KnownResourceStates.Running
        && LauncherPid(service) is { } launcher && launcher != killedLauncher;

    private string? LauncherPid(string service) =>
        fleet.App.ResourceNotifications.TryGetCurrentState(service, out var e)
            ? e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value?.ToString()
            : null;
}
