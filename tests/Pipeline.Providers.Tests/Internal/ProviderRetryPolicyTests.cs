using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Providers.Internal;

namespace Pipeline.Providers.Tests.Internal;

public sealed class ProviderRetryPolicyTests
{
    private static readonly ProviderException RateLimited = new(ProviderFailureKind.RateLimited, "429", TimeSpan.FromSeconds(3), httpStatus: 429);
    private static readonly ProviderException Unavailable = new(ProviderFailureKind.Unavailable, "503", httpStatus: 503);

    [Fact]
    public void GetDelay_ProviderSentRetryAfter_ThatDelay() =>
        Assert.Equal(TimeSpan.FromSeconds(3), Policy().GetDelay(RateLimited, 0, frameWritten: false, deadline: null));

    [Fact]
    public void GetDelay_NoRetryAfter_ExponentialFromBaseDelayCappedByMaxDelay()
    {
        var policy = Policy(new ProviderRetryOptions { MaxRetries = 5, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(5) });

        Assert.Equal(
            [1, 2, 4, 5, 5],
            Enumerable.Range(0, 5).Select(attempt => policy.GetDelay(Unavailable, attempt, false, null)!.Value.TotalSeconds));
    }

    [Fact]
    public void GetDelay_AfterTheFirstFrame_NoRetry() =>
        Assert.Null(Policy().GetDelay(Unavailable, 0, frameWritten: true, deadline: null));

    [Fact]
    public void GetDelay_RetriesUsedUp_NoRetry() =>
        Assert.Null(Policy().GetDelay(Unavailable, 2, false, null));

    [Theory]
    [InlineData(ProviderFailureKind.ContentPolicy)]
    [InlineData(ProviderFailureKind.QuotaExceeded)]
    [InlineData(ProviderFailureKind.InvalidRequest)]
    [InlineData(ProviderFailureKind.Unauthenticated)]
    [InlineData(ProviderFailureKind.MalformedResponse)]
    [InlineData(ProviderFailureKind.AdapterBusy)]
    [InlineData(ProviderFailureKind.Timeout)]
    public void GetDelay_NotRetryable_NoRetry(ProviderFailureKind kind) =>
        Assert.Null(Policy().GetDelay(new ProviderException(kind, "x"), 0, false, null));

    [Fact]
    public void GetDelay_ProviderTimeout504_Retried() =>
        Assert.NotNull(Policy().GetDelay(new ProviderException(ProviderFailureKind.Timeout, "504", httpStatus: 504), 0, false, null));

    [Fact]
    public void GetDelay_RetryAfterBeyondMaxDelay_NoRetry() =>
        Assert.Null(Policy().GetDelay(new ProviderException(ProviderFailureKind.RateLimited, "429", TimeSpan.FromSeconds(31)), 0, false, null));

    [Fact]
    public void GetDelay_DelayWouldPassTheDeadline_NoRetry()
    {
        Assert.Null(Policy().GetDelay(RateLimited, 0, false, DateTimeOffset.UtcNow.AddSeconds(2)));
        Assert.NotNull(Policy().GetDelay(RateLimited, 0, false, DateTimeOffset.UtcNow.AddSeconds(60)));
    }

    [Fact]
    public async Task ExecuteAsync_RetryableFailures_RetriedUntilSuccess()
    {
        var attempts = 0;

        await Policy(Fast).ExecuteAsync(_ =>
        {
            attempts++;
            return attempts < 3 ? throw Unavailable : ValueTask.CompletedTask;
        }, new RetryState(null), CancellationToken.None).AsTask().DefaultTimeout();

        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task ExecuteAsync_FailureAfterAFrame_NotRetried()
    {
        var attempts = 0;
        var state = new RetryState(null);

        var error = await Assert.ThrowsAsync<ProviderException>(() => Policy(Fast).ExecuteAsync(_ =>
        {
            attempts++;
            state.FrameWritten = true;
            throw Unavailable;
        }, state, CancellationToken.None).AsTask()).DefaultTimeout();

        Assert.Same(Unavailable, error);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task ExecuteAsync_RetryAfter_WaitedBeforeTheNextAttempt()
    {
        var attempts = new List<long>();

        await Policy(Fast).ExecuteAsync(_ =>
        {
            attempts.Add(Stopwatch.GetTimestamp());
            return attempts.Count == 1
                ? throw new ProviderException(ProviderFailureKind.RateLimited, "429", TimeSpan.FromMilliseconds(300))
                : ValueTask.CompletedTask;
        }, new RetryState(null), CancellationToken.None).AsTask().DefaultTimeout();

        Assert.Equal(2, attempts.Count);
        Assert.True(Stopwatch.GetElapsedTime(attempts[0], attempts[1]) >= TimeSpan.FromMilliseconds(290));
    }

    [Fact]
    public async Task ExecuteAsync_NoRetriesConfigured_OneAttempt()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<ProviderException>(() => Policy(Fast with { MaxRetries = 0 }).ExecuteAsync(_ =>
        {
            attempts++;
            throw Unavailable;
        }, new RetryState(null), CancellationToken.None).AsTask()).DefaultTimeout();

        Assert.Equal(1, attempts);
    }

    private static readonly ProviderRetryOptions Fast = new() { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromSeconds(30) };

    private static ProviderRetryPolicy Policy(ProviderRetryOptions? retry = null) =>
        new(new ProviderOptions { Retry = retry ?? new ProviderRetryOptions() }, TimeProvider.System, NullLogger<ProviderRetryPolicy>.Instance);
}
