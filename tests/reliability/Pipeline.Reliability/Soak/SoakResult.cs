namespace Pipeline.Reliability.Soak;

/// <summary>What the soak measured, and whether it passed (<see cref="Failures"/> says why not).</summary>
/// <param name="Passed">No call failed, and every service kept its process, its RSS and its descriptors (see <see cref="ServiceTrend"/>).</param>
/// <param name="Failures">One line per problem.</param>
public sealed record SoakResult(bool Passed, IReadOnlyList<string> Failures)
{
    /// <summary>Concurrent streams kept up.</summary>
    public required int Streams { get; init; }

    /// <summary>How long new calls were started (the plan's duration).</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>When the load ended (the last sample under load); samples after it were taken once the calls in flight drained.</summary>
    public required TimeSpan LoadEnded { get; init; }

    /// <summary>Until the last call ended.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>The samples before this are warm-up; the first at or after it is the RSS and descriptor baseline.</summary>
    public required TimeSpan Warmup { get; init; }

    /// <summary>Calls started.</summary>
    public required int Calls { get; init; }

    /// <summary>Calls that ended with their last Final frame, stored, after at least one Partial.</summary>
    public required int Completed { get; init; }

    /// <summary>Failed calls by kind (gRPC status code, exception type, or what the stream lacked); empty when none failed.</summary>
    public required IReadOnlyDictionary<string, int> ErrorsByKind { get; init; }

    /// <summary>The first message of each error kind.</summary>
    public required IReadOnlyDictionary<string, string> FirstErrors { get; init; }

    /// <summary>Time to the first Partial frame (ms), over the calls that got one; null when none did.</summary>
    public required Distribution? FirstPartial { get; init; }

    /// <summary>Time to the last Final frame (ms), over the calls that got one; null when none did.</summary>
    public required Distribution? Final { get; init; }

    /// <summary>Every RSS and descriptor sample, per service: at the start, at each interval, at the end of the load, and after it drained.</summary>
    public required IReadOnlyList<ResourceSample> Samples { get; init; }

    /// <summary>Per service: start, after warm-up, end, peak, and the verdict.</summary>
    public required IReadOnlyList<ServiceTrend> Services { get; init; }
}
