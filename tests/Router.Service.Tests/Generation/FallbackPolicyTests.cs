using Grpc.Core;
using Router.Service.Generation;

namespace Router.Service.Tests.Generation;

public sealed class FallbackPolicyTests
{
    [Theory]
    [InlineData(StatusCode.Unavailable, true)]
    [InlineData(StatusCode.ResourceExhausted, true)]
    [InlineData(StatusCode.Aborted, true)]
    [InlineData(StatusCode.Internal, true)]
    [InlineData(StatusCode.Unknown, true)]
    [InlineData(StatusCode.FailedPrecondition, false)]
    [InlineData(StatusCode.InvalidArgument, false)]
    [InlineData(StatusCode.Unauthenticated, false)]
    [InlineData(StatusCode.PermissionDenied, false)]
    [InlineData(StatusCode.NotFound, false)]
    [InlineData(StatusCode.Cancelled, false)]
    [InlineData(StatusCode.Unimplemented, false)]
    public void CanFallBack_BeforeAnyFrame_OnlyForProviderTrouble(StatusCode code, bool expected) =>
        Assert.Equal(expected, FallbackPolicy.CanFallBack(code, relayedAnyFrame: false, callerHasTimeLeft: true, attemptTimedOutFirst: false));

    [Fact]
    public void CanFallBack_AfterAFrameWasRelayed_Never() =>
        Assert.False(FallbackPolicy.CanFallBack(StatusCode.Unavailable, relayedAnyFrame: true, callerHasTimeLeft: true, attemptTimedOutFirst: false));

    [Fact]
    public void CanFallBack_CallerOutOfTime_Never() =>
        Assert.False(FallbackPolicy.CanFallBack(StatusCode.Unavailable, relayedAnyFrame: false, callerHasTimeLeft: false, attemptTimedOutFirst: false));

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void CanFallBack_DeadlineExceeded_OnlyWhenTheAttemptsOwnTimeoutPassed(bool attemptTimedOutFirst, bool expected) =>
        Assert.Equal(expected, FallbackPolicy.CanFallBack(StatusCode.DeadlineExceeded, relayedAnyFrame: false, callerHasTimeLeft: true, attemptTimedOutFirst));
}
