using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Contracts.Storage.V1;

namespace Router.Service.Generation;

/// <summary>
/// Generate, shared by the gRPC and HTTP edges: <see cref="PrepareAsync"/> validates (errors before any frame), then
/// <see cref="RunAsync"/> streams — replaying a completed run of the same request and caller-chosen run id, or generating.
/// Requests with the same run id run one after the other (in this router by a lock, across routers by the claim in
/// storage), so only the first calls a provider.
/// </summary>
public sealed class GenerationPipeline
{
    private readonly GenerationPreparer _preparer;
    private readonly RegenerationResolver _regenerations;
    private readonly RunLocks _locks;
    private readonly RunClaims _claims;
    private readonly RunReplayer _replayer;
    private readonly GenerationRunner _runner;
    private readonly TimeProvider _time;

    internal GenerationPipeline(
        GenerationPreparer preparer, RegenerationResolver regenerations, RunLocks locks, RunClaims claims, RunReplayer replayer, GenerationRunner runner, TimeProvider time)
    {
        _preparer = preparer;
        _regenerations = regenerations;
        _locks = locks;
        _claims = claims;
        _replayer = replayer;
        _runner = runner;
        _time = time;
    }

    /// <summary>Resolves and validates <paramref name="request"/>; throws <see cref="RouterException"/> (INVALID_ARGUMENT, NOT_FOUND, …).</summary>
    public Task<GenerationPlan> PrepareAsync(GenerateRequest request, CallContext call, CancellationToken cancellationToken) =>
        _preparer.PrepareAsync(request, call, cancellationToken);

    /// <summary>
    /// Resolves a Regenerate against its parent run (NOT_FOUND when the caller cannot see it) and validates the Generate it
    /// stands for; the plan names the parent.
    /// </summary>
    public async Task<GenerationPlan> PrepareRegenerateAsync(RegenerateRequest request, CallContext call, CancellationToken cancellationToken)
    {
        var generate = await _regenerations.ResolveAsync(request, call.Caller, cancellationToken);
        return await _preparer.PrepareAsync(generate, call, cancellationToken) with { ParentRunId = request.RunId };
    }

    /// <summary>
    /// Streams the run to <paramref name="sink"/>. <paramref name="callerDeadline"/> (UTC, <see cref="DateTime.MaxValue"/>
    /// for none) bounds every provider call; <paramref name="cancellationToken"/> (the caller going away) cancels it.
    /// </summary>
    public async Task RunAsync(GenerationPlan plan, IGenerationSink sink, DateTime callerDeadline, CancellationToken cancellationToken)
    {
        using var activity = GenerationDiagnostics.StartGeneration(plan);
        try
        {
            // Requests for the same run id in this router wait here; across routers, the claim in storage decides.
            await using var lease = await _locks.AcquireAsync(plan.RunId, cancellationToken);
            var ledger = new RunLedger(plan, _time.GetUtcNow(), activity?.TraceId.ToHexString() ?? "");
            if (plan.RunIdSupplied)
            {
                if (await _claims.ClaimAsync(plan, ledger.Record(RunState.Running), cancellationToken) is { } completed)
                {
                    GenerationDiagnostics.SetReplayed(activity);
                    await _replayer.ReplayAsync(completed, plan, sink, cancellationToken);
                    return;
                }
                ledger.Claimed = true;
            }
            await _runner.RunAsync(plan, ledger, sink, callerDeadline, activity, cancellationToken);
        }
        catch (Exception ex)
        {
            GenerationDiagnostics.SetFailed(activity, RouterStatusMapper.ToStatus(ex));
            throw;
        }
    }
}
