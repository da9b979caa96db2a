using System.Runtime.CompilerServices;

namespace Storage.Service.Tests.TestSupport;

/// <summary>Every await in these tests has a timeout that names its call site.</summary>
internal static class TaskTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    /// <summary>Starting the shared PostgreSQL server (initdb and start-up) on a loaded 2-core machine.</summary>
    public static readonly TimeSpan ServerStart = TimeSpan.FromMinutes(2);

    public static async Task DefaultTimeout(this Task task, [CallerArgumentExpression(nameof(task))] string callSite = "")
    {
        try
        {
            await task.WaitAsync(Default);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Timed out after {Default.TotalSeconds} s: {callSite}", ex);
        }
    }

    public static Task<T> DefaultTimeout<T>(this Task<T> task, [CallerArgumentExpression(nameof(task))] string callSite = "") =>
        task.WithTimeout(Default, callSite);

    /// <summary>Like <see cref="DefaultTimeout{T}"/> with another limit, for the rare await that may take longer (a server's first start).</summary>
    public static async Task<T> WithTimeout<T>(this Task<T> task, TimeSpan timeout, [CallerArgumentExpression(nameof(task))] string callSite = "")
    {
        try
        {
            return await task.WaitAsync(timeout);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s: {callSite}", ex);
        }
    }

    /// <summary>Polls <paramref name="condition"/> every 20 ms until true; throws after <paramref name="timeout"/> naming the condition.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, [CallerArgumentExpression(nameof(condition))] string what = "")
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {timeout.TotalSeconds} s: {what}");
            }
            await Task.Delay(20);
        }
    }
}
