using System.Runtime.CompilerServices;

namespace Pipeline.Providers.Tests.TestSupport;

/// <summary>Every await in these tests has a timeout that names its call site.</summary>
internal static class TaskTimeouts
{
    /// <summary>Generous: the machine has 2 cores and other builds and tests run beside these.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(60);

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

    /// <summary>Polls <paramref name="condition"/> every 10 ms until true; throws after <see cref="Default"/> naming the condition.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string what = "")
    {
        var deadline = DateTime.UtcNow + Default;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {Default.TotalSeconds} s: {what}");
            }
            await Task.Delay(10);
        }
    }
}
