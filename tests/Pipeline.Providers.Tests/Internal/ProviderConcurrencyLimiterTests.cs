using Pipeline.Providers.Internal;

namespace Pipeline.Providers.Tests.Internal;

public sealed class ProviderConcurrencyLimiterTests
{
    [Fact]
    public async Task AcquireAsync_AllSlotsTakenAndNoQueue_AdapterBusyWithRetryDelay()
    {
        using var limiter = new ProviderConcurrencyLimiter(new ProviderOptions { MaxConcurrentCalls = 1, QueueLimit = 0 });
        using var first = await limiter.AcquireAsync(CancellationToken.None).AsTask().DefaultTimeout();

        var error = await Assert.ThrowsAsync<ProviderException>(() => limiter.AcquireAsync(CancellationToken.None).AsTask()).DefaultTimeout();

        Assert.Equal(ProviderFailureKind.AdapterBusy, error.Kind);
        Assert.NotNull(error.RetryAfter);
        Assert.Contains("1 concurrent", error.Message);
    }

    [Fact]
    public async Task AcquireAsync_QueueFull_AdapterBusyWhileTheQueuedCallWaitsForTheSlot()
    {
        using var limiter = new ProviderConcurrencyLimiter(new ProviderOptions { MaxConcurrentCalls = 1, QueueLimit = 1 });
        var first = await limiter.AcquireAsync(CancellationToken.None).AsTask().DefaultTimeout();
        var queued = limiter.AcquireAsync(CancellationToken.None).AsTask();

        var error = await Assert.ThrowsAsync<ProviderException>(() => limiter.AcquireAsync(CancellationToken.None).AsTask()).DefaultTimeout();

        Assert.Equal(ProviderFailureKind.AdapterBusy, error.Kind);
        Assert.False(queued.IsCompleted);
        first.Dispose();
        using var second = await queued.DefaultTimeout();
        Assert.True(second.IsAcquired);
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileQueued_OperationCanceledAndTheQueueSlotFreed()
    {
        using var limiter = new ProviderConcurrencyLimiter(new ProviderOptions { MaxConcurrentCalls = 1, QueueLimit = 1 });
        using var first = await limiter.AcquireAsync(CancellationToken.None).AsTask().DefaultTimeout();
        using var cancel = new CancellationTokenSource();
        var queued = limiter.AcquireAsync(cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued).DefaultTimeout();
        var again = limiter.AcquireAsync(CancellationToken.None).AsTask();
        Assert.False(again.IsCompleted);
        first.Dispose();
        using var lease = await again.DefaultTimeout();
    }
}
