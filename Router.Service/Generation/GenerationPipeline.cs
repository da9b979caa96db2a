using Pipeline.Contracts.ImageGen.V1;

namespace Router.Service.Generation;

/// <summary>
/// Generate, shared by the gRPC and HTTP edges: <see cref="PrepareAsync"/> validates (errors before any frame), then
/// <see cref="RunAsync"/> streams — replaying a completed run with the same caller-chosen run id, or generating.
/// Requests with the same run id run one after the other, so only the first calls a provider.
/// </summary>
public sealed class GenerationPipeline
{
    private readonly GenerationPreparer _preparer;
    private readonly RunLocks _locks;
    private readonly RunReplayer _replayer;
    private readonly GenerationRunner _runner;

    internal GenerationPipeline(GenerationPreparer preparer, RunLocks locks, RunReplayer replayer, GenerationRunner runner)
    {
        _preparer = preparer;
        _locks = locks;
        _replayer = replayer;
        _runner = runner;
    }

    /// <summary>Resolves and validates <paramref name="request"/>; throws <see cref="RouterException"/> (INVALID_ARGUMENT, NOT_FOUND, …).</summary>
    public Task<GenerationPlan> PrepareAsync(GenerateRequest request, string? providerKey, CancellationToken cancellationToken) =>
        _preparer.PrepareAsync(request, providerKey, cancellationToken);

    /// <summary>
    /// Streams the run to <paramref name="sink"/>. <paramref name="callerDeadline"/> (UTC, <see cref="DateTime.MaxValue"/>
    /// for none) bounds every provider call; <paramref name="cancellationToken"/> (the caller going away) cancels it.
    /// </summary>
    public async Task RunAsync(GenerationPlan plan, IGenerationSink sink, DateTime callerDeadline, CancellationToken cancellationToken)
    {
        using var activity = GenerationDiagnostics.StartGeneration(plan);
        try
        {
            await using var lease = await _locks.AcquireAsync(plan.RunId, cancellationToken);
            if (plan.RunIdSupplied && await _replayer.FindAsync(plan.RunId, cancellationToken) is { } completed)
            {
                GenerationDiagnostics.SetReplayed(activity);
                await _replayer.ReplayAsync(completed, plan, sink, cancellationToken);
                return;
            }
            await _runner.RunAsync(plan, sink, callerDeadline, activity, cancellationToken);
        }
        catch (Exception ex)
        {
            GenerationDiagnostics.SetFailed(activity, RouterStatusMapper.ToStatus(ex));
            throw;
        }
    }
}
