using Grpc.Core;

namespace Pipeline.Reliability.Faults;

/// <summary>
/// One row of the matrix: how to inject the fault (making its generations, and bringing the fleet back), and the statuses
/// an honest caller may get under it (empty: any error, but not OK).
/// </summary>
/// <param name="Name">e.g. "provider 503".</param>
/// <param name="Fast">A provider fault (seconds); --quick and CI run only these.</param>
/// <param name="Expected">The statuses the caller may get.</param>
/// <param name="InjectAsync">Injects the fault around its generations; returns how each call ended, with the fleet healthy again.</param>
internal sealed record FaultCase(
    string Name, bool Fast, IReadOnlySet<StatusCode> Expected, Func<FaultContext, CancellationToken, Task<IReadOnlyList<CallOutcome>>> InjectAsync)
{
    /// <summary>Whether <paramref name="call"/> ended with a status its caller may get.</summary>
    public bool Allows(CallOutcome call) => (call.Expected ?? Expected) is { Count: > 0 } expected ? expected.Contains(call.Status) : call.Status != StatusCode.OK;

    /// <summary>The statuses <paramref name="call"/> may get, in words.</summary>
    public string ExpectedText(CallOutcome call) =>
        (call.Expected ?? Expected) is { Count: > 0 } expected ? string.Join(" or ", expected.Select(StatusNames.Of)) : "an error";
}
