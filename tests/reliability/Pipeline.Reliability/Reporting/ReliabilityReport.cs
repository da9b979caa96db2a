using System.Runtime.InteropServices;
using Pipeline.Reliability.Faults;
using Pipeline.Reliability.Fuzz;
using Pipeline.Reliability.Soak;

namespace Pipeline.Reliability.Reporting;

/// <summary>One run's results with what is needed to judge them: when, on what machine, for how long, from which seed.</summary>
public sealed record ReliabilityReport
{
    /// <summary>When the run started (UTC); also the results' file name.</summary>
    public required DateTimeOffset Date { get; init; }

    /// <summary>From start to the report, fleet start included.</summary>
    public required TimeSpan Duration { get; init; }

    public required int Cores { get; init; }

    public required string OperatingSystem { get; init; }

    /// <summary>The .NET runtime version.</summary>
    public required string Runtime { get; init; }

    public required int Seed { get; init; }

    public required ReliabilityOptions Options { get; init; }

    /// <summary>Null when the suite did not run (<c>--only</c>).</summary>
    public required FuzzFigures? Fuzz { get; init; }

    /// <summary>Null when the suite did not run.</summary>
    public required FaultFigures? Faults { get; init; }

    /// <summary>Null when the suite did not run.</summary>
    public required SoakResult? Soak { get; init; }

    /// <summary>Every suite that ran passed.</summary>
    public bool Passed => (Fuzz?.Passed ?? true) && (Faults?.Passed ?? true) && (Soak?.Passed ?? true);

    /// <summary>Every suite's failures, each prefixed with its suite.</summary>
    public IReadOnlyList<string> Failures =>
    [
        .. (Fuzz?.Failures ?? []).Select(f => $"fuzz: {f}"),
        .. (Faults?.Failures ?? []).Select(f => $"faults: {f}"),
        .. (Soak?.Failures ?? []).Select(f => $"soak: {f}"),
    ];

    public static ReliabilityReport Create(ReliabilityOptions options, DateTimeOffset started, FuzzResult? fuzz, FaultMatrixResult? faults, SoakResult? soak) => new()
    {
        Date = started,
        Duration = DateTimeOffset.UtcNow - started,
        Cores = Environment.ProcessorCount,
        OperatingSystem = RuntimeInformation.OSDescription,
        Runtime = Environment.Version.ToString(),
        Seed = options.Seed,
        Options = options,
        Fuzz = fuzz is null ? null : FuzzFigures.From(fuzz),
        Faults = faults is null ? null : FaultFigures.From(faults),
        Soak = soak,
    };
}
