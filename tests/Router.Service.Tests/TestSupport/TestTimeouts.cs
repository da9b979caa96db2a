using System.Runtime.CompilerServices;
using Grpc.Core;

namespace Router.Service.Tests.TestSupport;

/// <summary>Every await in these tests has a timeout that names its call site when it fires.</summary>
internal static class TestTimeouts
{
    /// <summary>Generous: the machine has 2 cores and other builds and tests run at the same time.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public static async Task DefaultTimeout(this Task task, [CallerArgumentExpression(nameof(task))] string callSite = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        try
        {
            await task.WaitAsync(Default, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Timed out after {Default.TotalSeconds} s awaiting {callSite} at {Path.GetFileName(file)}:{line}.", ex);
        }
    }

    public static async Task<T> DefaultTimeout<T>(this Task<T> task, [CallerArgumentExpression(nameof(task))] string callSite = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        try
        {
            return await task.WaitAsync(Default, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Timed out after {Default.TotalSeconds} s awaiting {callSite} at {Path.GetFileName(file)}:{line}.", ex);
        }
    }

    /// <summary>The response of a unary gRPC call, bounded like any other await.</summary>
    public static Task<T> DefaultTimeout<T>(this AsyncUnaryCall<T> call, [CallerArgumentExpression(nameof(call))] string callSite = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        call.ResponseAsync.DefaultTimeout(callSite, file, line);

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds; throws naming it after <see cref="Default"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, [CallerArgumentExpression(nameof(condition))] string what = "")
    {
        var deadline = DateTime.UtcNow + Default;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not true within {Default.TotalSeconds} s: {what}");
            }
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds; throws naming it after <see cref="Default"/>.</summary>
    public static Task WaitUntilAsync(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string what = "") =>
        WaitUntilAsync(() => Task.FromResult(condition()), what);
}
