using System.Runtime.CompilerServices;

namespace ProviderEmulator.Tests.Support;

/// <summary>Every await in these tests is bounded; a timeout names the call site.</summary>
public static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public static async Task<T> DefaultTimeout<T>(this Task<T> task, [CallerArgumentExpression(nameof(task))] string? call = null)
    {
        try
        {
            return await task.WaitAsync(Default);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"'{call}' did not finish within {Default.TotalSeconds} s", ex);
        }
    }

    public static async Task DefaultTimeout(this Task task, [CallerArgumentExpression(nameof(task))] string? call = null)
    {
        try
        {
            await task.WaitAsync(Default);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"'{call}' did not finish within {Default.TotalSeconds} s", ex);
        }
    }

    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task, [CallerArgumentExpression(nameof(task))] string? call = null) =>
        task.AsTask().DefaultTimeout(call);

    public static Task DefaultTimeout(this ValueTask task, [CallerArgumentExpression(nameof(task))] string? call = null) =>
        task.AsTask().DefaultTimeout(call);

    /// <summary>A token that cancels after the default timeout, for async enumerations.</summary>
    public static CancellationToken Token()
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(Default);
        return source.Token;
    }
}
