using System.Runtime.CompilerServices;

namespace Pipeline.Tests.Adapters;

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

    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task, [CallerArgumentExpression(nameof(task))] string callSite = "") =>
        task.AsTask().DefaultTimeout(callSite);
}
