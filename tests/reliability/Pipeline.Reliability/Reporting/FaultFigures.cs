using Pipeline.Reliability.Faults;

namespace Pipeline.Reliability.Reporting;

/// <summary>What the report shows of the fault matrix; a count is null until <see cref="From"/> maps it.</summary>
public sealed record FaultFigures(bool Passed, IReadOnlyList<string> Failures, int? Survived, int? Injected, int? ImagesLost)
{
    /// <summary>The figures of a fault matrix result.</summary>
    public static FaultFigures From(FaultMatrixResult faults) =>
        // TODO(lead, after merging the fault matrix): map FaultMatrixResult's rows here — faults survived of faults
        // injected, images lost (delivered by the emulator but neither stored, spooled nor quarantined). Until then only
        // Passed and Failures are read.
        new(faults.Passed, faults.Failures, Survived: null, Injected: null, ImagesLost: null);
}
