using Pipeline.Reliability.Faults;
using Pipeline.Reliability.Fuzz;
using Pipeline.Reliability.Soak;

namespace Pipeline.Reliability.Reporting;

/// <summary>PLACEHOLDER (helper "soak" owns Reporting/): one run's results.</summary>
public sealed record ReliabilityReport(bool Passed)
{
    public static ReliabilityReport Create(ReliabilityOptions options, DateTimeOffset started, FuzzResult? fuzz, FaultMatrixResult? faults, SoakResult? soak) =>
        new((fuzz?.Passed ?? true) && (faults?.Passed ?? true) && (soak?.Passed ?? true));
}

/// <summary>PLACEHOLDER (helper "soak" owns Reporting/).</summary>
public static class ReportWriter
{
    public static Task<string> WriteAsync(ReliabilityReport report, ReliabilityOptions options, CancellationToken cancellationToken) =>
        throw new NotImplementedException("the report writer is being built");
}
