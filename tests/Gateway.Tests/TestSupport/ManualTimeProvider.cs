namespace Gateway.Tests.TestSupport;

/// <summary>
/// A clock that starts at the real time and then moves only when the test says so (<see cref="Advance"/>): deadlines
/// computed from it stay in the future. Timers and timestamps stay real.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = System.GetUtcNow();

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            _now += by;
        }
    }
}
