namespace AppHost;

/// <summary>Delay before starting a crashed service again: 1 s, 2 s, 4 s, … capped at 30 s.</summary>
internal static class RestartBackoff
{
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    /// <summary>A process that ran this long before exiting counts as a fresh failure (the schedule starts again at 1 s).</summary>
    public static readonly TimeSpan ResetAfter = TimeSpan.FromSeconds(60);

    /// <summary>The delay before restart number <paramref name="attempt"/> (1-based).</summary>
    public static TimeSpan Delay(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        return attempt > 5 ? Cap : TimeSpan.FromSeconds(Math.Min(Cap.TotalSeconds, Math.Pow(2, attempt - 1)));
    }
}
