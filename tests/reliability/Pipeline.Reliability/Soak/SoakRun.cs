namespace Pipeline.Reliability.Soak;

/// <summary>How many concurrent streamed generations to keep up, and for how long.</summary>
public sealed record SoakPlan(int Streams, TimeSpan Duration);

/// <summary>PLACEHOLDER (helper "soak" replaces this file): what the soak measured.</summary>
public sealed record SoakResult(bool Passed, IReadOnlyList<string> Failures);

/// <summary>PLACEHOLDER (helper "soak" replaces this file).</summary>
public static class SoakRun
{
    public static Task<SoakResult> RunAsync(Fleet.FleetUnderTest fleet, SoakPlan plan, TextWriter log, CancellationToken cancellationToken) =>
        throw new NotImplementedException("the soak is being built");
}
