using System.Runtime.CompilerServices;

namespace Gateway.Tests.TestSupport;

/// <summary>Every await in these tests has a timeout that names its call site. Generous: 2 cores, concurrent builds.</summary>
internal static class TaskTimeouts
{
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

    /// <summary>A token cancelled after <see cref="Default"/>, for enumerations that take one.</summary>
    public static CancellationToken Token() => new CancellationTokenSource(Default).Token;

    /// <summary>Polls <paramref name="condition"/> every 50 ms until true; throws after <see cref="Default"/> naming the condition.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, [CallerArgumentExpression(nameof(condition))] string what = "")
    {
        var deadline = DateTime.UtcNow + Default;
        while (!await condition().WaitAsync(Default))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {Default.TotalSeconds} s: {what}");
            }
            await Task.Delay(50);
        }
    }
}
