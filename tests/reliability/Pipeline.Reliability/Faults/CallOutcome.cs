using Grpc.Core;
using Pipeline.Contracts.ImageGen.V1;

namespace Pipeline.Reliability.Faults;

/// <summary>How one Generate call ended, as its caller saw it.</summary>
/// <param name="RunId">The run (the Accepted frame's, else the one asked for; empty when neither is known).</param>
/// <param name="Status">The status the stream ended with.</param>
/// <param name="Detail">The status detail.</param>
/// <param name="Seconds">From the call to its status.</param>
/// <param name="Deadline">The deadline the call was given.</param>
/// <param name="Hung">The call outlived its deadline by more than the grace, and the suite gave up on it.</param>
/// <param name="Finals">The finish reason of every Final frame.</param>
internal sealed record CallOutcome(string RunId, StatusCode Status, string Detail, double Seconds, TimeSpan Deadline, bool Hung, IReadOnlyList<FinishReason> Finals)
{
    /// <summary>How long past its deadline a status may take to reach the caller.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);

    /// <summary>The statuses this call may get when they differ from its fault's (e.g. a caller-chosen run id while storage is down).</summary>
    public IReadOnlySet<StatusCode>? Expected { get; init; }

    /// <summary>The call ended (with any status) within its deadline plus <see cref="Grace"/>.</summary>
    public bool DeadlineRespected => !Hung && Seconds <= (Deadline + Grace).TotalSeconds;
}
