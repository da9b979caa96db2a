using ProviderEmulator.Faults;

namespace ProviderEmulator.Tests.Faults;

public class FaultParserTests
{
    [Fact]
    public void TryApply_FullSyntax_SetsEveryFault()
    {
        var error = FaultParser.TryApply(
            "latency=200ms; partial-delay=1.5s, rate-limit=4;status=503;content-policy;mid-stream-error;error-shape=nested;cut-stream;malformed-json;trickle=4KB@10ms;oversized-image=2MB;response-failed;insufficient-quota",
            FaultPlan.None,
            out var plan);

        Assert.Null(error);
        Assert.Equal(TimeSpan.FromMilliseconds(200), plan.Latency);
        Assert.Equal(TimeSpan.FromSeconds(1.5), plan.PartialDelay);
        Assert.Equal(4, plan.RateLimitRetryAfter);
        Assert.Equal(503, plan.Status);
        Assert.True(plan.ContentPolicy && plan.MidStreamError && plan.NestedErrorEvent && plan.CutStream && plan.MalformedJson && plan.ResponseFailed && plan.InsufficientQuota);
        Assert.Equal(4096, plan.TrickleBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(10), plan.TrickleInterval);
        Assert.Equal(2L * 1024 * 1024, plan.OversizedImageBytes);
    }

    [Fact]
    public void TryApply_Defaults_UseDocumentedValues()
    {
        Assert.Null(FaultParser.TryApply("rate-limit;trickle;oversized-image", FaultPlan.None, out var plan));

        Assert.Equal(1, plan.RateLimitRetryAfter);
        Assert.Equal(1024, plan.TrickleBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(10), plan.TrickleInterval);
        Assert.Equal(20L * 1024 * 1024, plan.OversizedImageBytes);
    }

    [Fact]
    public void TryApply_HeaderOnTopOfInstanceDefault_Merges()
    {
        FaultParser.TryApply("latency=50ms", FaultPlan.None, out var instance);

        Assert.Null(FaultParser.TryApply("status=500", instance, out var plan));

        Assert.Equal(TimeSpan.FromMilliseconds(50), plan.Latency);
        Assert.Equal(500, plan.Status);
    }

    [Theory]
    [InlineData("latency=fast", "'latency=fast' is not a duration")]
    [InlineData("status=200", "give an HTTP error status 400-599")]
    [InlineData("trickle=10ms", "use trickle=<bytes>@<interval>")]
    [InlineData("error-shape=round", "allowed values are flat, nested")]
    [InlineData("boom", "unknown fault 'boom'")]
    public void TryApply_Invalid_ExplainsHowToFix(string text, string expected)
    {
        var error = FaultParser.TryApply(text, FaultPlan.None, out _);

        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryApply_Empty_LeavesPlanUnchanged()
    {
        Assert.Null(FaultParser.TryApply("", FaultPlan.None, out var plan));
        Assert.False(plan.HasFaults);
    }
}
