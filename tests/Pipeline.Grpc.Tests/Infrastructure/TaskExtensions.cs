using System.Runtime.CompilerServices;

namespace Pipeline.Grpc.Tests.Infrastructure;

/// <summary>Every await in a test is bounded, and a timeout names the call site that hung (as grpc-dotnet's tests do).</summary>
public static class TaskExtensions
{
    public static readonly TimeSpan DefaultTimeoutSpan = TimeSpan.FromSeconds(30);

    public static async Task<T> DefaultTimeout<T>(this Task<T> task, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        await ((Task)task).DefaultTimeout(file, line);
        return await task;
    }

    public static async Task DefaultTimeout(this Task task, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        try
        {
            await task.WaitAsync(DefaultTimeoutSpan);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Timed out after {DefaultTimeoutSpan.TotalSeconds}s at {Path.GetFileName(file)}:{line}.", ex);
        }
    }

    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        task.AsTask().DefaultTimeout(file, line);
}
