using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Stops the service when the AppHost that started it is gone (even killed with SIGKILL), so a crashed AppHost leaves
/// no orphans. Active only when <c>PIPELINE_APPHOST_PID</c> is set, as the AppHost does for every child.
/// </summary>
internal sealed partial class AppHostWatchdog(IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<AppHostWatchdog> logger)
    : BackgroundService
{
    public const string ParentPidVariable = "PIPELINE_APPHOST_PID";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!int.TryParse(configuration[ParentPidVariable], out var pid))
        {
            return;
        }
        Process parent;
        try
        {
            parent = Process.GetProcessById(pid);
        }
        catch (ArgumentException)
        {
            ParentGone(logger, pid);
            lifetime.StopApplication();
            return;
        }
        using (parent)
        {
            await parent.WaitForExitAsync(stoppingToken);
        }
        ParentGone(logger, pid);
        lifetime.StopApplication();
    }

    [LoggerMessage(1, LogLevel.Warning, "The AppHost (pid {Pid}) is gone; stopping.")]
    private static partial void ParentGone(ILogger logger, int pid);
}
