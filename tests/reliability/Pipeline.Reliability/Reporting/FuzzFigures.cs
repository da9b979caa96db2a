using Pipeline.Reliability.Fuzz;

namespace Pipeline.Reliability.Reporting;

/// <summary>What the report shows of the generated bad input.</summary>
public sealed record FuzzFigures(bool Passed, IReadOnlyList<string> Failures, int CasesTried, int Crashes, int ServerErrors, int WrongEnvelopes, int RefusedByHttpServer)
{
    /// <summary>The figures of a fuzz result.</summary>
    public static FuzzFigures From(FuzzResult fuzz) =>
        new(fuzz.Passed, fuzz.Failures, fuzz.CasesTried, fuzz.Crashes, fuzz.ServerErrorsForClientFaults, fuzz.WrongEnvelopes, fuzz.RefusedByHttpServer);
}
