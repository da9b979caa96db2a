using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AppHost.Hosting.Internal;

/// <summary>
/// Graceful stop. <c>Process.Kill</c> is SIGKILL on Linux, which skips the child's shutdown; SIGTERM lets the generic
/// host stop cleanly. Windows has no SIGTERM, so there the tree is killed at once.
/// </summary>
internal static class ProcessSignals
{
    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int sig);

    /// <summary>Sends SIGTERM, waits up to <paramref name="timeout"/>, then kills the process tree.</summary>
    public static async Task StopAsync(Process process, TimeSpan timeout)
    {
        try
        {
            if (process.HasExited)
            {
                return;
            }
            if (OperatingSystem.IsWindows() || Kill(process.Id, SigTerm) != 0)
            {
                process.Kill(entireProcessTree: true);
            }
            using var wait = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // The process was never started or is already gone.
        }
    }
}
