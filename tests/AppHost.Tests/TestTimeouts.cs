using System.Runtime.CompilerServices;

namespace AppHost.Tests;

/// <summary>Every await in these tests has a timeout that names its call site (grpc-dotnet's DefaultTimeout()).</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(60);

    /// <summary>For the whole fleet to become healthy: seven processes started in dependency order on a loaded 2-core machine.</summary>
    public static readonly TimeSpan FleetStartup = TimeSpan.FromMinutes(3);

    public static async Task<T> FleetStartupTimeout<T>(this Task<T> task, [CallerArgumentExpression(nameof(task))] string? call = null)
    {
        try
        {
            return await task.WaitAsync(FleetStartup);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {FleetStartup.TotalSeconds}s: {call}");
        }
    }

    public static async Task FleetStartupTimeout(this Task task, [CallerArgumentExpression(nameof(task))] string? call = null)
    {
        try
        {
            await task.WaitAsync(FleetStartup);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {FleetStartup.TotalSeconds}s: {call}");
        }
    }

    public static async Task<T> DefaultTimeout<T>(this Task<T> task, [CallerArgumentExpression(nameof(task))] string? call = null)
    {
        try
        {
            return await task.WaitAsync(Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {Default.TotalSeconds}s: {call}");
        }
    }

    public static async Task DefaultTimeout(this Task task, [CallerArgumentExpression(nameof(task))] string? call = null)
    {
        try
        {
            await task.WaitAsync(Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {Default.TotalSeconds}s: {call}");
        }
    }
}
