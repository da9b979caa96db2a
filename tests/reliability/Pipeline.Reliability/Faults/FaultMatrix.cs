namespace Pipeline.Reliability.Faults;

/// <summary>Which faults to inject: all, or only the fast ones (CI and --quick).</summary>
public sealed record FaultPlan(bool FastOnly);

/// <summary>PLACEHOLDER (helper "faults" replaces this file): what the fault matrix found.</summary>
public sealed record FaultMatrixResult(bool Passed, IReadOnlyList<string> Failures);

/// <summary>PLACEHOLDER (helper "faults" replaces this file).</summary>
public static class FaultMatrix
{
    public static Task<FaultMatrixResult> RunAsync(Fleet.FleetUnderTest fleet, FaultPlan plan, TextWriter log, CancellationToken cancellationToken) =>
        throw new NotImplementedException("the fault matrix is being built");
}
