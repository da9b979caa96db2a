using Pipeline.Reliability.Fuzz;

namespace Pipeline.Reliability.Reporting;

/// <summary>What the report shows of the generated bad input; a count is null until <see cref="From"/> maps it.</summary>
public sealed record FuzzFigures(bool Passed, IReadOnlyList<string> Failures, int? CasesTried, int? Crashes, int? ServerErrors, int? WrongEnvelopes)
{
    /// <summary>The figures of a fuzz result.</summary>
    public static FuzzFigures From(FuzzResult fuzz) =>
        // TODO(lead, after merging the fuzz suite): map FuzzResult's counts here — cases tried, crashes, 5xx / INTERNAL
        // for client faults, wrong envelopes. Until then only Passed and Failures are read.
        new(fuzz.Passed, fuzz.Failures, CasesTried: null, Crashes: null, ServerErrors: null, WrongEnvelopes: null);
}
