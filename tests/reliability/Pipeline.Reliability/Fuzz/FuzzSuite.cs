namespace Pipeline.Reliability.Fuzz;

/// <summary>How many generated cases to try, from which seed.</summary>
public sealed record FuzzPlan(int Seed, int Cases);

/// <summary>PLACEHOLDER (helper "fuzz" replaces this file): what the generated bad input found.</summary>
public sealed record FuzzResult(bool Passed, IReadOnlyList<string> Failures);

/// <summary>PLACEHOLDER (helper "fuzz" replaces this file).</summary>
public static class FuzzSuite
{
    public static Task<FuzzResult> RunAsync(Fleet.FleetUnderTest fleet, FuzzPlan plan, TextWriter log, CancellationToken cancellationToken) =>
        throw new NotImplementedException("the fuzz suite is being built");
}
