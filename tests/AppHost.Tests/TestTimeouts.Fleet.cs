using System.Runtime.CompilerServices;

namespace Pipeline.Tests;

/// <summary>The fleet tests' addition to the shared kit.</summary>
internal static partial class TestTimeouts
{
    /// <summary>For the whole fleet to become healthy: its processes started in dependency order on a loaded 2-core machine.</summary>
    public static readonly TimeSpan FleetStartup = TimeSpan.FromMinutes(3);

    public static Task<T> FleetStartupTimeout<T>(this Task<T> task, [CallerArgumentExpression(nameof(task))] string callSite = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        task.WithTimeout(FleetStartup, callSite, file, line);

    public static Task FleetStartupTimeout(this Task task, [CallerArgumentExpression(nameof(task))] string callSite = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        task.WithTimeout(FleetStartup, callSite, file, line);
}
