using System.Globalization;

namespace Pipeline.Benchmarks;

/// <summary>What one benchmark run does. Every load is bounded by a request count and a time cap.</summary>
public sealed record BenchmarkOptions
{
    /// <summary>Measured non-streamed requests per target and repeat (after warm-up). Default 1,000.</summary>
    public int LatencyRequests { get; init; } = 1000;

    /// <summary>
    /// Warm-up requests per target before measuring (not recorded). Default 300: until then the services run partly on
    /// tier-0 JIT code, and a target measured first looks several times slower than the same path measured after it.
    /// </summary>
    public int WarmupRequests { get; init; } = 300;

    /// <summary>How many times the latency and first-partial measurements are repeated (spread = min/median/max). Default 3.</summary>
    public int Repeats { get; init; } = 3;

    /// <summary>Streamed requests per target and repeat for time to first partial. Default 200.</summary>
    public int FirstPartialRequests { get; init; } = 200;

    /// <summary>Concurrency levels of the throughput runs. Default 1, 16, 64, 256.</summary>
    public IReadOnlyList<int> Concurrency { get; init; } = [1, 16, 64, 256];

    /// <summary>Requests per throughput level: max(this, 4 × concurrency). Default 256.</summary>
    public int ThroughputRequests { get; init; } = 256;

    /// <summary>Time cap of one throughput level. Default 60 s.</summary>
    public TimeSpan ThroughputTimeCap { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Traced requests whose spans give the per-hop breakdown. Default 100.</summary>
    public int TracedRequests { get; init; } = 100;

    /// <summary>How long the fleet rests after the load before "after" RSS is read. Default 10 s.</summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Image size requested. Default 1024x1024 (about 1 MB of base64 from the emulator).</summary>
    public string Size { get; init; } = "1024x1024";

    /// <summary>Where the JSON and Markdown reports go. Default bench/results.</summary>
    public string ResultsDirectory { get; init; } = "bench/results";

    /// <summary>
    /// Run the dashboard, which receives every service's traces, as <c>dotnet run --project AppHost</c> does (default). Off
    /// (<c>--no-dashboard</c>): no trace export and no dashboard process on the machine, and no per-hop breakdown.
    /// </summary>
    public bool Dashboard { get; init; } = true;

    /// <summary>Skip the Portkey comparison (when its npm package is not installed).</summary>
    public bool SkipPortkey { get; init; }

    /// <summary>The Portkey install folder (holds node_modules). Default bench/portkey.</summary>
    public string PortkeyDirectory { get; init; } = "bench/portkey";

    /// <summary>
    /// Parses <c>--requests N --warmup N --repeats N --first-partial N --concurrency 1,16 --throughput-requests N
    /// --traced N --settle SECONDS --results DIR --no-portkey --no-dashboard --quick</c>. Unknown arguments are errors (every one reported).
    /// </summary>
    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        var errors = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n : throw new ArgumentException($"{args[i - 1]} needs a positive integer");
            try
            {
                options = args[i] switch
                {
                    "--requests" => options with { LatencyRequests = NextInt() },
                    "--warmup" => options with { WarmupRequests = NextInt() },
                    "--repeats" => options with { Repeats = NextInt() },
                    "--first-partial" => options with { FirstPartialRequests = NextInt() },
                    "--throughput-requests" => options with { ThroughputRequests = NextInt() },
                    "--traced" => options with { TracedRequests = NextInt() },
                    "--settle" => options with { SettleTime = TimeSpan.FromSeconds(NextInt()) },
                    "--concurrency" => options with { Concurrency = [.. Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))] },
                    "--results" => options with { ResultsDirectory = Next() },
                    "--portkey-dir" => options with { PortkeyDirectory = Next() },
                    "--no-portkey" => options with { SkipPortkey = true },
                    "--no-dashboard" => options with { Dashboard = false },
                    "--quick" => options with
                    {
                        LatencyRequests = 100, WarmupRequests = 200, Repeats = 1, FirstPartialRequests = 20,
                        Concurrency = [1, 16, 64], ThroughputRequests = 32, TracedRequests = 20, SettleTime = TimeSpan.FromSeconds(5),
                    },
                    _ => throw new ArgumentException($"unknown argument '{args[i]}'"),
                };
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                errors.Add(e.Message);
            }
        }
        return errors.Count == 0 ? options : throw new ArgumentException(string.Join(Environment.NewLine, errors));
    }
}
