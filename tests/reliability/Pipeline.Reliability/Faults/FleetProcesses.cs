using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Reliability.Fleet;

namespace Pipeline.Reliability.Faults;

/// <summary>
/// Process faults: a service killed (the AppHost's CrashRestarter starts it again), and a service stopped and started
/// through Aspire's resource commands, the dashboard's Stop and Start (a stopped service stays down: the CrashRestarter
/// restarts only a process that exited on its own).
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

    /// <summary>Stops <paramref name="service"/> (the dashboard's Stop) and waits until it has stopped.</summary>
    public async Task StopAsync(string service, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await ExecuteAsync(service, KnownResourceCommands.StopCommand, cancellationToken);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        await fleet.App.ResourceNotifications.WaitForResourceAsync(service, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), bounded.Token);
    }

    /// <summary>Starts a stopped <paramref name="service"/> (the dashboard's Start) and waits until the fleet is healthy.</summary>
    public async Task StartAsync(string service, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await ExecuteAsync(service, KnownResourceCommands.StartCommand, cancellationToken);
        await fleet.WaitHealthyAsync(timeout, cancellationToken);
    }

    private async Task ExecuteAsync(string service, string command, CancellationToken cancellationToken)
    {
        var resource = fleet.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == service);
        var result = await fleet.App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, command, cancellationToken);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{command} on {service} failed: {result.Message}");
        }
    }

    private bool Restarted(string service, string killedLauncher) =>
        fleet.App.ResourceNotifications.TryGetCurrentState(service, out var e) && e.Snapshot.State?.Text == KnownResourceStates.Running
        && LauncherPid(service) is { } launcher && launcher != killedLauncher;

    private string? LauncherPid(string service) =>
        fleet.App.ResourceNotifications.TryGetCurrentState(service, out var e)
            ? e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value?.ToString()
            : null;
}
