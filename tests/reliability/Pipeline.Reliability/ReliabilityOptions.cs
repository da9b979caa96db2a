using System.Globalization;

namespace Pipeline.Reliability;

/// <summary>
/// What a run does, from the command line. A full run: 10,000 generated cases, every fault, a 10-minute soak at 200
/// streams, and the README's table filled. <c>--quick</c>: 1,000 cases, the fast faults, a 2-minute soak at 200 streams,
/// no README change (under 15 minutes on 2 cores).
/// </summary>
public sealed record ReliabilityOptions
{
    public bool Quick { get; init; }
    public int Seed { get; init; } = 20261202;
    public int Cases { get; init; } = 10_000;
    public bool FastFaultsOnly { get; init; }
    public int SoakStreams { get; init; } = 200;
    public TimeSpan SoakDuration { get; init; } = TimeSpan.FromMinutes(10);
    public IReadOnlySet<string> Suites { get; init; } = new HashSet<string>(["fuzz", "faults", "soak"], StringComparer.Ordinal);
    public bool WriteReadme { get; init; } = true;
    public string ResultsDirectory { get; init; } = Path.Combine("tests", "reliability", "results");

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> naming a bad or unknown option.</summary>
    public static ReliabilityOptions Parse(string[] args)
    {
        var options = args.Contains("--quick")
            ? new ReliabilityOptions { Quick = true, Cases = 1_000, FastFaultsOnly = true, SoakDuration = TimeSpan.FromMinutes(2), WriteReadme = false }
            : new ReliabilityOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Number() => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n : throw new ArgumentException($"{args[i - 1]} needs a positive whole number");
            options = args[i] switch
            {
                "--quick" => options,
                "--seed" => options with { Seed = Number() },
                "--cases" => options with { Cases = Number() },
                "--soak-minutes" => options with { SoakDuration = TimeSpan.FromMinutes(Number()) },
                "--soak-streams" => options with { SoakStreams = Number() },
                "--only" => options with { Suites = new HashSet<string>(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal) },
                "--no-readme" => options with { WriteReadme = false },
                "--results" => options with { ResultsDirectory = Value() },
                _ => throw new ArgumentException($"unknown option {args[i]}; see tests/reliability/run"),
            };
        }
        var unknown = options.Suites.Except(["fuzz", "faults", "soak"]).ToList();
        return unknown.Count == 0 ? options : throw new ArgumentException($"--only: unknown suite(s) {string.Join(", ", unknown)}; use fuzz, faults, soak");
    }
}
