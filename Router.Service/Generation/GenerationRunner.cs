using System.Diagnostics;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Contracts.Provider.V1;
using Grpc.Core;
using Router.Service.Storage;
using Pipeline.ServiceDefaults.Grpc;
using RpcStatus = Google.Rpc.Status;

namespace Router.Service.Generation;

/// <summary>
/// The second half of a Generate: sends Accepted, calls the adapter of the config (then of each fallback while the
/// failure allows it and no frame was relayed), relays partial frames as they arrive and makes every final image
/// durable before sending its Final frame. The attempt's deadline is the config's timeout bounded by the caller's.
/// </summary>
internal sealed class GenerationRunner(
    AdapterClients adapters, FinalImageWriter writer, BudgetGuard budget, GridPostProcessor grids, ILogger<GenerationRunner> logger)
{
    private static readonly TimeSpan DeadlineTolerance = TimeSpan.FromMilliseconds(250);

    public async Task RunAsync(GenerationPlan plan, RunLedger ledger, IGenerationSink sink, DateTime callerDeadline, Activity? activity, CancellationToken cancellationToken)
    {
        var relay = new RelayState();
        var current = 0;
        GenerationLog.Started(logger, plan.RunId, plan.Primary.ImageCount, plan.Primary.Config.Name, plan.Primary.Provider, plan.Primary.Model);
        writer.Start(ledger);
        try
        {
            await budget.EnsureWithinAsync(plan.Call.Caller, cancellationToken);
            await sink.WriteAsync(new GenerateFrame
            {
                Accepted = new Accepted
                {
                    RunId = plan.RunId,
                    Config = plan.Primary.Config.Name,
                    Provider = plan.Primary.Provider,
                    Model = plan.Primary.Model,
                    ImageCount = plan.Primary.FrameCount,
                    ParentRunId = plan.ParentRunId,
                },
            }, cancellationToken);

            for (var i = 0; i < plan.Attempts.Count; i++)
            {
                current = i;
                var planned = plan.Attempts[i];
                if (planned.Attempt is not { } attempt)
                {
                    GenerationLog.FallbackSkipped(logger, plan.RunId, planned.Config.Name, planned.SkipReason ?? "");
                    ledger.Skip(planned);
                    continue;
                }
                ledger.Use(attempt);
                GenerationDiagnostics.SetAttempt(activity, attempt);
                if (ledger.Earlier.Count > 0)
                {
                    await sink.WriteAsync(new GenerateFrame { Fallback = Fallback(attempt, ledger) }, cancellationToken);
                }
                var attemptDeadline = AttemptDeadline(attempt, callerDeadline, out var boundByCaller);
                try
                {
                    await RunAttemptAsync(plan, attempt, attemptDeadline, ledger, sink, relay, activity, cancellationToken);
                    break;
                }
                catch (RpcException ex) when (NextCallable(plan, i) is { } next && !cancellationToken.IsCancellationRequested
                    && FallbackPolicy.CanFallBack(ex.StatusCode, relay.Relayed, DateTime.UtcNow < callerDeadline, attemptTimedOutFirst: !boundByCaller))
                {
                    GenerationLog.FallingBack(logger, plan.RunId, attempt.Config.Name, ex.StatusCode, ex.Status.Detail, next.Config.Name);
                    GenerationDiagnostics.AddFallback(activity, attempt, next, ex.StatusCode);
                    ledger.Fail(attempt, ex.StatusCode, ex.Status.Detail);
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
            ledger.Fail(ledger.Attempt, status.GetStatusCode(), status.Message);
            status = WithSkippedFallbacks(status, plan, current, ledger);
            await writer.FailAsync(ledger, status);
            if (ex is RpcException)
            {
                throw new RouterException(status, ex);
            }
            throw;
        }
    }

    /// <summary>
    /// A failure that a fallback could have taken over, but every config left was skipped: the status also says why each
    /// was skipped (and the run record lists them).
    /// </summary>
    private static RpcStatus WithSkippedFallbacks(RpcStatus status, GenerationPlan plan, int index, RunLedger ledger)
    {
        if (!FallbackPolicy.CanFallBack(status.GetStatusCode(), relayedAnyFrame: false, callerHasTimeLeft: true, attemptTimedOutFirst: true))
        {
            return status;
        }
        foreach (var attempt in plan.Attempts.Skip(index + 1).Where(a => a.Attempt is null))
        {
            ledger.Skip(attempt);
        }
        var skipped = ledger.Earlier.Where(a => a.Outcome == AttemptOutcome.Skipped).ToList();
        if (skipped.Count == 0)
        {
            return status;
        }
        var result = status.Clone();
        result.Message += " Fallbacks not tried: " + string.Join("; ", skipped.Select(a => $"{a.Config}: {a.Reason}")) + ".";
        return result;
    }

    /// <summary>The next attempt after <paramref name="index"/> that can be called; null when none is left.</summary>
    private static GenerationAttempt? NextCallable(GenerationPlan plan, int index) =>
        plan.Attempts.Skip(index + 1).Select(a => a.Attempt).FirstOrDefault(a => a is not null);

    /// <summary>The frame that says <paramref name="attempt"/> now serves the run, and what became of the configs before it.</summary>
    private static Fallback Fallback(GenerationAttempt attempt, RunLedger ledger) => new()
    {
        Config = attempt.Config.Name,
        Provider = attempt.Provider,
        Model = attempt.Model,
        ImageCount = attempt.FrameCount,
        Earlier = { ledger.Earlier.Select(a => a.Clone()) },
    };

    private async Task RunAttemptAsync(
        GenerationPlan plan, GenerationAttempt attempt, DateTime deadline, RunLedger ledger, IGenerationSink sink, RelayState relay, Activity? activity, CancellationToken cancellationToken)
    {
        var request = ProviderRequestFactory.Create(plan, attempt, deadline - DateTime.UtcNow);
        // The caller's key for this attempt's provider only; without one, the adapter uses the fleet's (the plan skipped
        // the attempt when the tenant may not).
        var headers = plan.ProviderKeyFor(attempt.Provider) is { } key ? new Metadata { { ProviderAdapter.ProviderKeyHeader, key } } : null;
        var options = new CallOptions(headers, deadline, cancellationToken);
        using var call = adapters.For(attempt.Config.Chunk.Adapter).Generate(request, options);
        var finals = new HashSet<int>();
        // A config that splits grids holds each grid's Final frame until the stream is over and the grids are split.
        var heldGrids = attempt.Config.PostProcessing.GridSplit is null ? null : new List<Final>();
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
                    ledger.Account(image);
                    // The last image of a run whose frames go out as they come carries the SUCCEEDED record with it.
                    var stored = await writer.WriteAsync(ledger, image, completesRun: heldGrids is null && finals.Count == attempt.ImageCount);
                    ledger.Count(stored.Pending);
                    GenerationDiagnostics.AddImage(activity, image.ImageIndex, stored.ImageId, stored.SizeBytes, stored.Sha256, stored.Pending);
                    var final = ToFinal(attempt, image, stored, last: finals.Count == attempt.ImageCount, plan.IncludeImageData);
                    if (heldGrids is not null)
                    {
                        heldGrids.Add(final);
                    }
                    else
                    {
                        await sink.WriteAsync(new GenerateFrame { Final = final }, cancellationToken);
                    }
                    break;
            }
        }
        if (finals.Count < attempt.ImageCount)
        {
            RouterException.ThrowInternal($"adapter '{attempt.Provider}' ended the stream after {finals.Count} of {attempt.ImageCount} final images");
        }
        if (heldGrids is not null)
        {
            var frames = await grids.SplitAsync(plan, attempt, heldGrids, cancellationToken);
            for (var i = 0; i < frames.Count; i++)
            {
                frames[i].Last = i == frames.Count - 1;
                await sink.WriteAsync(new GenerateFrame { Final = frames[i] }, cancellationToken);
            }
        }
    }

    /// <summary>The config's timeout from now, bounded by the caller's deadline.</summary>
    private static DateTime AttemptDeadline(GenerationAttempt attempt, DateTime callerDeadline, out bool boundByCaller)
    {
        var own = DateTime.UtcNow + TimeSpan.FromSeconds(attempt.Config.TimeoutSeconds);
        boundByCaller = callerDeadline <= own;
        return boundByCaller ? callerDeadline : own;
    }

    private static Final ToFinal(GenerationAttempt attempt, FinalImage image, StoredImage stored, bool last, bool includeData) => new()
    {
        Config = attempt.Config.Name,
        Provider = attempt.Provider,
        Model = attempt.Model,
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
