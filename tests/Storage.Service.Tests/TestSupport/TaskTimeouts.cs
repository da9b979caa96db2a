using System.Runtime.CompilerServices;

namespace Storage.Service.Tests.TestSupport;

/// <summary>Every await in these tests has a timeout that names its call site.</summary>
internal static class TaskTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

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

    public static async Task<T> DefaultTimeout<T>(this Task<T> task, [CallerArgumentExpression(nameof(task))] string callSite = "")
    {
        try
        {
            return await task.WaitAsync(Default);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Timed out after {Default.TotalSeconds} s: {callSite}", ex);
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
