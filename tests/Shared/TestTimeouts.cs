using System.Runtime.CompilerServices;

namespace Pipeline.Tests;

/// <summary>
/// Every await in the tests is bounded, and a timeout names the call site, file and line. One kit compiled into every
/// test project (tests/Directory.Build.props); a project adds the limits only it needs (the fleet's start, a server's
/// start) in a part of its own.
/// </summary>
internal static partial class TestTimeouts
{
    /// <summary>Generous: the machine has 2 cores, and other builds and tests run beside these.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(60);

    public static Task DefaultTimeout(this Task task, [CallerArgumentExpression(nameof(task))] string callSite = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        task.WithTimeout(Default, callSite, file, line);

    public static Task<T> DefaultTimeout<T>(this Task<T> task, [CallerArgumentExpression(nameof(task))] string callSite = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        task.WithTimeout(Default, callSite, file, line);

    public static Task DefaultTimeout(this ValueTask task, [CallerArgumentExpression(nameof(task))] string callSite = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        task.AsTask().WithTimeout(Default, callSite, file, line);

    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task, [CallerArgumentExpression(nameof(task))] string callSite = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        task.AsTask().WithTimeout(Default, callSite, file, line);

    /// <summary>Like <see cref="DefaultTimeout(Task, string, string, int)"/> with another limit, for the rare await that may take longer.</summary>
    public static async Task WithTimeout(this Task task, TimeSpan timeout, [CallerArgumentExpression(nameof(task))] string callSite = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        try
        {
            await task.WaitAsync(timeout);
        }
        catch (TimeoutException ex)
        {
            throw TimedOut(timeout, callSite, file, line, ex);
        }
    }

    /// <summary>Like <see cref="DefaultTimeout{T}(Task{T}, string, string, int)"/> with another limit, for the rare await that may take longer.</summary>
    public static async Task<T> WithTimeout<T>(this Task<T> task, TimeSpan timeout, [CallerArgumentExpression(nameof(task))] string callSite = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        try
        {
            return await task.WaitAsync(timeout);
        }
        catch (TimeoutException ex)
        {
            throw TimedOut(timeout, callSite, file, line, ex);
        }
    }

    /// <summary>A token cancelled after <see cref="Default"/> or with the test, for enumerations that take one.</summary>
    public static CancellationToken Token()
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(Default);
        return source.Token;
    }

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds; throws naming it after <see cref="Default"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, [CallerArgumentExpression(nameof(condition))] string what = "")
    {
        var deadline = DateTime.UtcNow + Default;
        while (!await condition().WaitAsync(Default))
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

    private static TimeoutException TimedOut(TimeSpan timeout, string callSite, string file, int line, Exception inner) =>
        new($"Timed out after {timeout.TotalSeconds} s awaiting {callSite} at {Path.GetFileName(file)}:{line}.", inner);
}
