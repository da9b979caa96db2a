using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Provider.V1;
using Grpc.Core;

namespace Pipeline.Providers.Internal;

/// <summary>
/// The ProviderAdapter gRPC service around an adapter's <see cref="IImageProvider"/>: validation, key, concurrency lease,
/// timeout, retries before the first frame, cost, telemetry. Failures leave as <see cref="ProviderException"/>s for
/// <see cref="ProviderStatusMapper"/>.
/// </summary>
internal sealed class ProviderAdapterService(
    IImageProvider provider,
    ProviderDefaults defaults,
    ProviderOptions options,
    ProviderApiKeyResolver keys,
    ProviderConcurrencyLimiter limiter,
    ProviderRetryPolicy retry,
    ImageNormalizer images,
    TimeProvider time,
    ILogger<ProviderAdapterService> logger) : ProviderAdapter.ProviderAdapterBase
{
    public override async Task Generate(ProviderRequest request, IServerStreamWriter<ProviderFrame> responseStream, ServerCallContext context)
    {
        var started = time.GetTimestamp();
        var operation = ProviderTelemetry.OperationName(request.Operation);
        // Adapters that execute chunks call whichever provider the chunk names.
        var providerName = request.Chunk is { Provider.Length: > 0 } chunk ? chunk.Provider : defaults.Provider;
        using var activity = ProviderTelemetry.StartCall(providerName, request);
        string? key = null;
        try
        {
            ProviderRequestValidator.Validate(request, options);
            key = keys.Resolve(context.RequestHeaders);
            using var lease = await limiter.AcquireAsync(context.CancellationToken);
            var (finals, partials) = await CallAsync(request, key, activity, responseStream, context);
            ProviderTelemetry.RecordResult(activity, finals, partials);
            ProviderLog.CallCompleted(logger, operation, request.Model, request.RunId, finals.Count, partials,
                (long)time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (ProviderException failure)
        {
            var clean = key is null ? failure : failure.WithoutSecret(key);
            clean.Provider = providerName;
            ProviderTelemetry.RecordFailure(activity, clean);
            ProviderLog.CallFailed(logger, operation, request.Model, request.RunId, clean.Kind, clean.HttpStatus ?? 0, clean.ProviderCode, clean.ProviderRequestId);
            if (ReferenceEquals(clean, failure))
            {
                throw;
            }
            throw clean;
        }
        catch (RpcException rejected) when (rejected.StatusCode == StatusCode.InvalidArgument)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "InvalidArgument");
            ProviderLog.RequestRejected(logger, operation, request.Model, request.RunId, rejected.Status.Detail);
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "Cancelled");
            ProviderLog.CallCancelled(logger, operation, request.Model, request.RunId);
            throw;
        }
    }

    public override Task<ListModelsResponse> ListModels(ListModelsRequest request, ServerCallContext context) =>
        Task.FromResult(ModelCatalog.ToResponse(defaults.Provider, options.Models));

    private async Task<(List<FinalImage> Finals, int Partials)> CallAsync(
        ProviderRequest request, string key, Activity? activity, IServerStreamWriter<ProviderFrame> responseStream, ServerCallContext context)
    {
        var timeout = request.Timeout?.ToTimeSpan();
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        DateTimeOffset? deadline = context.Deadline == DateTime.MaxValue ? null : new DateTimeOffset(context.Deadline, TimeSpan.Zero);
        if (timeout is { } t && t > TimeSpan.Zero)
        {
            timeoutCts.CancelAfter(t);
            var end = time.GetUtcNow() + t;
            deadline = deadline is { } d && d < end ? d : end;
        }
        var call = new ProviderCallContext(key, images, options, activity);
        var model = options.FindModel(request.Model);
        var state = new RetryState(deadline);
        var finals = new List<FinalImage>();
        var partials = 0;
        try
        {
            await retry.ExecuteAsync(async ct =>
            {
                try
                {
                    await foreach (var frame in provider.GenerateAsync(request, call, ct).WithCancellation(ct))
                    {
                        if (frame.Final is { } final)
                        {
                            Complete(final, request, model, options.HostModels);
                            ProviderTelemetry.RecordFinal(activity, final);
                            ProviderLog.FinalImage(logger, request.RunId, final.ImageIndex, final.Data.Length, final.MimeType, final.Width, final.Height,
                                final.Sha256, final.CostUsdMicros, final.CostKnown);
                            finals.Add(final);
                        }
                        else if (frame.Partial is not null)
                        {
                            partials++;
                        }
                        await responseStream.WriteAsync(frame, ct);
                        state.FrameWritten = true;
                    }
                }
                catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested && Translate(ex, timeoutCts, timeout) is { } failure)
                {
                    throw failure;
                }
            }, state, timeoutCts.Token);
        }
        catch (OperationCanceledException ex) when (timeoutCts.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw TimedOut(timeout, ex);
        }
        if (finals.Count == 0)
        {
            throw new ProviderException(ProviderFailureKind.MalformedResponse, "The provider's reply held no image.");
        }
        return (finals, partials);
    }

    /// <summary>A cost the provider reported (cost_known already set by the adapter) stands; anything else is priced here.</summary>
    private static void Complete(FinalImage final, ProviderRequest request, ModelDefinition? model, IReadOnlyList<HostModelPrice> hostModels)
    {
        if (final.Model.Length == 0)
        {
            final.Model = request.Model;
        }
        if (!final.CostKnown)
        {
            var cost = CostCalculator.Price(model, hostModels, final, request.Quality);
            final.CostUsdMicros = cost.UsdMicros;
            final.CostKnown = cost.Known;
        }
    }

    private static ProviderException? Translate(Exception exception, CancellationTokenSource timeoutCts, TimeSpan? timeout) => exception switch
    {
        ProviderException => null,
        OperationCanceledException when timeoutCts.IsCancellationRequested => TimedOut(timeout, exception),
        OperationCanceledException => null,
        HttpRequestException http => new ProviderException(ProviderFailureKind.Unavailable,
            $"Could not reach the provider: {http.Message}", httpStatus: http.StatusCode is { } s ? (int)s : null, innerException: http),
        IOException io => new ProviderException(ProviderFailureKind.Unavailable,
            $"The provider's response ended early: {io.Message}", innerException: io),
        JsonException json => new ProviderException(ProviderFailureKind.MalformedResponse,
            $"The provider sent malformed JSON: {json.Message}", innerException: json),
        _ => null,
    };

    private static ProviderException TimedOut(TimeSpan? timeout, Exception inner) => new(ProviderFailureKind.Timeout,
        $"The provider call took longer than the request timeout of {timeout?.TotalSeconds:0.###} s.", innerException: inner);
}
