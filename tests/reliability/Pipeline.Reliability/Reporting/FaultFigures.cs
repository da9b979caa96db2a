using Pipeline.Reliability.Faults;

namespace Pipeline.Reliability.Reporting;

/// <summary>What the report shows of the fault matrix.</summary>
public sealed record FaultFigures(bool Passed, IReadOnlyList<string> Failures, int Survived, int Injected, int ImagesLost)
{
    /// <summary>The figures of a fault matrix result.</summary>
    public static FaultFigures From(FaultMatrixResult faults) =>
        new(faults.Passed, faults.Failures, faults.Survived, faults.Total, faults.ImagesLost);
}
