using System.Diagnostics;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Contracts.Provider.V1;
using Grpc.Core;
using Router.Service.Catalogue;
using Router.Service.Storage;
using Pipeline.ServiceDefaults.Grpc;

namespace Router.Service.Generation;

/// <summary>
/// The second half of a Generate: sends Accepted, calls the adapter of the config (then of each fallback while the
/// failure allows it and no frame was relayed), relays partial frames as they arrive and makes every final image
/// durable before sending its Final frame. The attempt's deadline is the config's timeout bounded by the caller's.
/// </summary>
internal sealed class GenerationRunner(AdapterClients adapters, FinalImageWriter writer, TimeProvider time, ILogger<GenerationRunner> logger)
{
    private static readonly TimeSpan DeadlineTolerance = TimeSpan.FromMilliseconds(250);

    public async Task RunAsync(GenerationPlan plan, IGenerationSink sink, DateTime callerDeadline, Activity? activity, CancellationToken cancellationToken)
    {
        var ledger = new RunLedger(plan, time.GetUtcNow(), activity?.TraceId.ToHexString() ?? "");
        var attempts = Attempts(plan);
        var relay = new RelayState();
        GenerationLog.Started(logger, plan.RunId, plan.Primary.ImageCount, plan.Primary.Config.Name, plan.Primary.Provider, plan.Primary.Model);
        writer.Start(ledger);
        try
        {
            await sink.WriteAsync(new GenerateFrame
            {
                Accepted = new Accepted
                {
                    RunId = plan.RunId,
                    Config = plan.Primary.Config.Name,
                    Provider = plan.Primary.Provider,
                    Model = plan.Primary.Model,
                    ImageCount = plan.Primary.ImageCount,
                },
            }, cancellationToken);

            for (var i = 0; ; i++)
            {
                var attempt = attempts[i];
                ledger.Use(attempt);
                GenerationDiagnostics.SetAttempt(activity, attempt);
                var attemptDeadline = AttemptDeadline(attempt, callerDeadline, out var boundByCaller);
                try
                {
                    await RunAttemptAsync(plan, attempt, attemptDeadline, ledger, sink, relay, activity, cancellationToken);
                    break;
                }
                catch (RpcException ex) when (i + 1 < attempts.Count && !cancellationToken.IsCancellationRequested
                    && FallbackPolicy.CanFallBack(ex.StatusCode, relay.Relayed, DateTime.UtcNow < callerDeadline, attemptTimedOutFirst: !boundByCaller))
                {
                    GenerationLog.FallingBack(logger, plan.RunId, attempt.Config.Name, ex.StatusCode, ex.Status.Detail, attempts[i + 1].Config.Name);
                    GenerationDiagnostics.AddFallback(activity, attempt, attempts[i + 1], ex.StatusCode);
                }
            }
            await writer.CompleteAsync(ledger);
            GenerationLog.Completed(logger, plan.RunId, ledger.Stored + ledger.Pending, ledger.Attempt.Config.Name, ledger.Pending);
        }
        catch (Exception ex)
        {
            var status = !cancellationToken.IsCancellationRequested ? RouterStatusMapper.ToStatus(ex)
                // The call's token fires on the caller's deadline too; its timer may fire a little early.
                : DateTime.UtcNow >= callerDeadline - DeadlineTolerance ? RichStatus.Create(StatusCode.DeadlineExceeded, "The caller's deadline passed.")
                : RichStatus.Create(StatusCode.Cancelled, "The caller went away.");
            if (status.GetStatusCode() is StatusCode.Cancelled or StatusCode.DeadlineExceeded && cancellationToken.IsCancellationRequested)
            {
                GenerationLog.Cancelled(logger, plan.RunId);
            }
            else
            {
                GenerationLog.Failed(logger, plan.RunId, ledger.Attempt.Config.Name, status.GetStatusCode(), status.Message);
            }
            await writer.FailAsync(ledger, status);
            if (ex is RpcException)
            {
                throw new RouterException(status, ex);
            }
            throw;
        }
    }

    private async Task RunAttemptAsync(
        GenerationPlan plan, GenerationAttempt attempt, DateTime deadline, RunLedger ledger, IGenerationSink sink, RelayState relay, Activity? activity, CancellationToken cancellationToken)
    {
        var request = ProviderRequestFactory.Create(plan, attempt, deadline - DateTime.UtcNow);
        var headers = plan.ProviderKey is { } key ? new Metadata { { ProviderAdapter.ProviderKeyHeader, key } } : null;
        var options = new CallOptions(headers, deadline, cancellationToken);
        using var call = adapters.For(attempt.Config.Chunk.Adapter).Generate(request, options);
        var finals = new HashSet<int>();
        await foreach (var frame in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            switch (frame.FrameCase)
            {
                case ProviderFrame.FrameOneofCase.Partial:
                    relay.Relayed = true;
                    var partial = frame.Partial;
                    await sink.WriteAsync(new GenerateFrame
                    {
                        Partial = new Partial { ImageIndex = partial.ImageIndex, PartialIndex = partial.PartialIndex, Data = partial.Data, MimeType = partial.MimeType },
                    }, cancellationToken);
                    break;
                case ProviderFrame.FrameOneofCase.Final:
                    relay.Relayed = true;
                    var image = frame.Final;
                    if (image.ImageIndex < 0 || image.ImageIndex >= attempt.ImageCount || !finals.Add(image.ImageIndex))
                    {
                        RouterException.ThrowInternal($"adapter '{attempt.Provider}' sent a final image with index {image.ImageIndex}; expected each of 0-{attempt.ImageCount - 1} once");
                    }
                    var stored = await writer.WriteAsync(ledger, image);
                    ledger.Add(image, stored.Pending);
                    GenerationDiagnostics.AddImage(activity, image.ImageIndex, stored.ImageId, stored.SizeBytes, stored.Sha256, stored.Pending);
                    await sink.WriteAsync(new GenerateFrame { Final = ToFinal(image, stored, last: finals.Count == attempt.ImageCount, plan.IncludeImageData) }, cancellationToken);
                    break;
            }
        }
        if (finals.Count < attempt.ImageCount)
        {
            RouterException.ThrowInternal($"adapter '{attempt.Provider}' ended the stream after {finals.Count} of {attempt.ImageCount} final images");
        }
    }

    /// <summary>The config's timeout from now, bounded by the caller's deadline.</summary>
    private static DateTime AttemptDeadline(GenerationAttempt attempt, DateTime callerDeadline, out bool boundByCaller)
    {
        var own = DateTime.UtcNow + TimeSpan.FromSeconds(attempt.Config.TimeoutSeconds);
        boundByCaller = callerDeadline <= own;
        return boundByCaller ? callerDeadline : own;
    }

    /// <summary>The primary config, then each fallback the request is valid for (others are logged and skipped).</summary>
    private List<GenerationAttempt> Attempts(GenerationPlan plan)
    {
        var attempts = new List<GenerationAttempt> { plan.Primary };
        foreach (var name in plan.Primary.Config.Fallbacks)
        {
            if (!plan.Catalogue.TryGetConfig(name, out var config) || attempts.Any(a => a.Config.Name == name))
            {
                continue;
            }
            var validation = RequestValidator.Validate(config, plan.Input);
            if (validation.IsValid)
            {
                attempts.Add(new GenerationAttempt(config, validation.Parameters!, validation.Prompt!));
            }
            else
            {
                GenerationLog.FallbackSkipped(logger, plan.RunId, name, string.Join("; ", validation.Violations.Select(v => v.Description)));
            }
        }
        return attempts;
    }

    private static Final ToFinal(FinalImage image, StoredImage stored, bool last, bool includeData) => new()
    {
        ImageIndex = image.ImageIndex,
        ImageId = stored.ImageId,
        MimeType = image.MimeType,
        Width = image.Width,
        Height = image.Height,
        RevisedPrompt = image.RevisedPrompt,
        Usage = image.Usage,
        CostUsdMicros = image.CostUsdMicros,
        CostKnown = image.CostKnown,
        ChargedUsdMicros = image.CostUsdMicros,
        Storage = new StorageReference
        {
            ImageId = stored.ImageId,
            UrlPath = RunMapper.ImageUrlPath(stored.ImageId),
            Sha256 = stored.Sha256,
            SizeBytes = stored.SizeBytes,
            Pending = stored.Pending,
        },
        FinishReason = stored.QuarantineReason is not null ? FinishReason.Quarantined : stored.Pending ? FinishReason.StoragePending : FinishReason.Stored,
        FinishDetail = stored.QuarantineReason ?? "",
        Last = last,
        // A quarantined image cannot be fetched by its URL: the caller gets the bytes it paid for here.
        Data = includeData || stored.QuarantineReason is not null ? image.Data : Google.Protobuf.ByteString.Empty,
    };

    private sealed class RelayState
    {
        public bool Relayed { get; set; }
    }
}
