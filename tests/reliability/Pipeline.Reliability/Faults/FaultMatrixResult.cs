namespace Pipeline.Reliability.Faults;

/// <summary>What the fault matrix found: one row per fault, and every violated expectation with its fault, run and numbers.</summary>
public sealed record FaultMatrixResult(IReadOnlyList<FaultRow> Rows, IReadOnlyList<string> Failures)
{
    /// <summary>No expectation was violated.</summary>
    public bool Passed => Failures.Count == 0;

    /// <summary>Faults the fleet came through with every expectation met ("faults survived: n of m").</summary>
    public int Survived => Rows.Count(r => !Failures.Any(f => f.StartsWith(r.Fault + ":", StringComparison.Ordinal)));

    /// <summary>Faults injected.</summary>
    public int Total => Rows.Count;

    /// <summary>Images the emulator delivered that are neither stored, spooled nor quarantined, over every fault. Expected 0.</summary>
    public int ImagesLost => Rows.Sum(r => r.Lost);
}
