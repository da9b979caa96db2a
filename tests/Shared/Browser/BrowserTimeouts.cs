using System.Runtime.CompilerServices;

namespace Pipeline.Tests.Browser;

/// <summary>
/// The browser kit's bounded awaits, each naming its call site: the kit is compiled into several test projects and
/// depends on none of their helpers.
/// </summary>
internal static class BrowserTimeouts
{
    /// <summary>Generous: a browser and a fleet share 2 cores.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(60);

    public static async Task Bounded(this Task task, [CallerArgumentExpression(nameof(task))] string callSite = "")
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

    public static async Task<T> Bounded<T>(this Task<T> task, [CallerArgumentExpression(nameof(task))] string callSite = "")
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

    /// <summary>Polls <paramref name="condition"/> every 50 ms until true; throws after <see cref="Default"/> naming the condition.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
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
