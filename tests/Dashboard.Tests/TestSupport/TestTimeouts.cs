using System.Runtime.CompilerServices;

namespace Dashboard.Tests.TestSupport;

/// <summary>Every await in these tests has a timeout that names its call site (grpc-dotnet's DefaultTimeout()).</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

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
