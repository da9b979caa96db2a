using Google.Rpc;
using Grpc.Core;
using Pipeline.Contracts.Storage.V1;
using Pipeline.ServiceDefaults.Grpc;
using Router.Service.Storage;

namespace Router.Service.Generation;

/// <summary>
/// Decides what a request with a caller-chosen run id does, where the run record lives, so the answer holds across
/// router replicas: generate (the claim is ours), replay (the same request already completed), wait (the same request
/// is running elsewhere), or be refused with ALREADY_EXISTS (the id was used for a different request, or belongs to
/// another tenant). A run this router completed while storage was down is found in the spool first.
/// </summary>
internal sealed class RunClaims(RunStore store, RunReplayer replayer, TimeProvider time, ILogger<RunClaims> logger)
{
    /// <summary>How often a request waiting for the same request elsewhere asks again.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The completed run to replay, or null when the claim is ours and the run should be generated.</summary>
    public async Task<CompletedRun?> ClaimAsync(GenerationPlan plan, RunRecord running, CancellationToken cancellationToken)
    {
        if (await replayer.FindSpooledAsync(plan.RunId, plan.Call.Caller, cancellationToken) is { } spooled)
        {
            if (!plan.Call.Caller.CanSee(spooled.Record.Tenant))
            {
                throw Taken(plan.RunId);
            }
            // A run found outside storage (the spool) must have been made for the same request too.
            if (spooled.Record.RequestDifferences(plan.RequestDigest) is { Count: > 0 } differences)
            {
                throw Conflict(plan.RunId, differences);
            }
            return spooled;
        }
        var waited = false;
        while (true)
        {
            ClaimRunResponse response;
            try
            {
                response = await store.ClaimRunAsync(running, cancellationToken);
            }
            catch (RpcException ex) when (StorageFailures.IsTransient(ex) && ex.StatusCode != StatusCode.Cancelled)
            {
                throw RouterException.StorageUnavailable($"run '{plan.RunId}' cannot be claimed", ex, "retry later, or leave run_id empty");
            }
            switch (response.Result)
            {
                case ClaimResult.Claimed:
                    return null;
                case ClaimResult.Completed:
                    return RunReplayer.FromStored(response.Run);
                case ClaimResult.Conflict:
                    throw Conflict(plan.RunId, response.Differences);
                case ClaimResult.Taken:
                    throw Taken(plan.RunId);
                case ClaimResult.Running:
                    if (!waited)
                    {
                        GenerationLog.WaitingForRun(logger, plan.RunId);
                        waited = true;
                    }
                    await Task.Delay(PollInterval, time, cancellationToken);
                    break;
                default:
                    RouterException.ThrowInternal($"storage answered the claim of run '{plan.RunId}' with {response.Result}");
                    break;
            }
        }
    }

    private static RouterException Conflict(string runId, IReadOnlyCollection<string> differences) => new(RichStatus.Create(StatusCode.AlreadyExists,
        $"run id '{runId}' was already used for a different request ({string.Join(", ", differences)} differ); " +
        "send the same request to replay that run, or choose a new run id",
        new ErrorInfo { Reason = "RUN_ID_REUSED", Domain = "pipeline", Metadata = { ["run_id"] = runId, ["differences"] = string.Join(",", differences) } }));

    // Says nothing of the other tenant's run, not even its existence beyond "taken".
    private static RouterException Taken(string runId) => new(RichStatus.Create(StatusCode.AlreadyExists,
        $"run id '{runId}' is not available; choose another run id",
        new ErrorInfo { Reason = "RUN_ID_TAKEN", Domain = "pipeline", Metadata = { ["run_id"] = runId } }));
}
