using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Pipeline.Providers.Internal;

/// <summary>
/// Retries retryable <see cref="ProviderException"/>s (Polly.Core) only while no frame has reached the caller. The delay is
/// the provider's retry-after when it sent one, else exponential from BaseDelay; a delay beyond MaxDelay or past the call's
/// deadline is not waited for: the failure goes back to the caller with its retry delay.
/// </summary>
internal sealed class ProviderRetryPolicy
{
    private static readonly ResiliencePropertyKey<RetryState> StateKey = new("Pipeline.Providers.RetryState");

    private readonly ProviderRetryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;

    public ProviderRetryPolicy(ProviderOptions options, TimeProvider time, ILogger<ProviderRetryPolicy> logger)
    {
        _options = options.Retry;
        _time = time;
        _logger = logger;
        _pipeline = _options.MaxRetries == 0
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _options.MaxRetries,
                ShouldHandle = args => ValueTask.FromResult(DelayFor(args.Context, args.Outcome.Exception, args.AttemptNumber) is not null),
                DelayGenerator = args => ValueTask.FromResult(DelayFor(args.Context, args.Outcome.Exception, args.AttemptNumber)),
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is ProviderException failure)
                    {
                        ProviderLog.Retrying(_logger, args.AttemptNumber + 1, _options.MaxRetries, failure.Kind, failure.HttpStatus ?? 0,
                            (long)args.RetryDelay.TotalMilliseconds);
                    }
                    return ValueTask.CompletedTask;
                },
            }).Build();
    }

    /// <summary>
    /// Runs <paramref name="attempt"/>, again after a retryable failure while <see cref="RetryState.FrameWritten"/> is false.
    /// </summary>
    public async ValueTask ExecuteAsync(Func<CancellationToken, ValueTask> attempt, RetryState state, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(StateKey, state);
        try
        {
            await _pipeline.ExecuteAsync(static (ctx, run) => run(ctx.CancellationToken), context, attempt);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>The wait before retry number <paramref name="attempt"/> + 1, or null when this failure is not retried.</summary>
    public TimeSpan? GetDelay(ProviderException failure, int attempt, bool frameWritten, DateTimeOffset? deadline)
    {
        if (frameWritten || !failure.IsRetryable || attempt >= _options.MaxRetries)
        {
            return null;
        }
        if (failure.RetryAfter is { } asked && asked > _options.MaxDelay)
        {
            return null;
        }
        var backoff = _options.BaseDelay * Math.Pow(2, attempt);
        var delay = failure.RetryAfter ?? (backoff > _options.MaxDelay ? _options.MaxDelay : backoff);
        if (deadline is { } end && _time.GetUtcNow() + delay >= end)
        {
            return null;
        }
        return delay;
    }

    private TimeSpan? DelayFor(ResilienceContext context, Exception? exception, int attempt) =>
        exception is ProviderException failure && context.Properties.TryGetValue(StateKey, out var state)
            ? GetDelay(failure, attempt, state.FrameWritten, state.Deadline)
            : null;
}

/// <summary>What the retry policy needs to know about the call in progress.</summary>
internal sealed class RetryState(DateTimeOffset? deadline)
{
    /// <summary>When the call must be over (the earlier of the gRPC deadline and the request timeout), if any.</summary>
    public DateTimeOffset? Deadline { get; } = deadline;

    /// <summary>Set once a frame was written to the caller: from then on nothing is retried.</summary>
    public bool FrameWritten { get; set; }
}
