using Grpc.Core;

namespace Router.Service.Generation;

/// <summary>When a failed attempt may be retried with the next config of the fallback list.</summary>
public static class FallbackPolicy
{
    /// <summary>
    /// True when nothing was relayed yet, the caller still has time, and the failure says "this provider, now" rather
    /// than "this request": UNAVAILABLE, RESOURCE_EXHAUSTED, ABORTED, INTERNAL (malformed provider output), UNKNOWN, and
    /// DEADLINE_EXCEEDED when it was the attempt's own timeout (<paramref name="attemptTimedOutFirst"/>), not the
    /// caller's deadline. Never for CANCELLED, INVALID_ARGUMENT, FAILED_PRECONDITION (content policy),
    /// UNAUTHENTICATED, PERMISSION_DENIED, NOT_FOUND or UNIMPLEMENTED.
    /// </summary>
    public static bool CanFallBack(StatusCode code, bool relayedAnyFrame, bool callerHasTimeLeft, bool attemptTimedOutFirst) =>
        !relayedAnyFrame && callerHasTimeLeft && code switch
        {
            StatusCode.Unavailable or StatusCode.ResourceExhausted or StatusCode.Aborted or StatusCode.Internal or StatusCode.Unknown => true,
            StatusCode.DeadlineExceeded => attemptTimedOutFirst,
            _ => false,
        };
}
