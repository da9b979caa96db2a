using Pipeline.Contracts.ImageGen.V1;
using Grpc.Core;
using Pipeline.ServiceDefaults.Security;
using Router.Service.Catalogue;
using Router.Service.Generation;

namespace Router.Service.Storage;

/// <summary>Reading runs for callers (gRPC GetRun, HTTP <c>/api/runs</c>): from Storage.Service, as public <see cref="Run"/>s.</summary>
public sealed class RunQueries(RunStore store)
{
    /// <summary>Largest page of recent runs.</summary>
    public const int MaxLimit = 200;

    /// <summary>
    /// The run; INVALID_ARGUMENT for a malformed id, NOT_FOUND when unknown or another tenant's (the same answer), UNAVAILABLE
    /// when storage is.
    /// </summary>
    public async Task<Run> GetAsync(string runId, Caller caller, CancellationToken cancellationToken)
    {
        var problem = runId.Length == 0 ? "run_id is required; use 1-64 characters from [A-Za-z0-9_-]" : RunIds.Check(runId);
        if (problem is not null)
        {
            RouterException.ThrowInvalid([new ParameterViolation("run_id", problem)]);
        }
        var record = await CallAsync(() => store.FindRunAsync(runId, caller, cancellationToken));
        if (record is null)
        {
            RouterException.ThrowNotFound($"run '{runId}' does not exist");
        }
        return RunMapper.ToRun(record);
    }

    /// <summary>The newest <paramref name="limit"/> runs (1-200) <paramref name="caller"/> may see, newest first.</summary>
    public async Task<IReadOnlyList<Run>> ListRecentAsync(int limit, Caller caller, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxLimit)
        {
            RouterException.ThrowInvalid([new ParameterViolation("limit", $"limit = {limit} is out of range; allowed: 1-{MaxLimit}")]);
        }
        var page = await CallAsync(() => store.ListRunsAsync(limit, caller, cancellationToken));
        return [.. page.Runs.Select(RunMapper.ToRun)];
    }

    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            throw RouterException.Unavailable($"storage is unavailable ({ex.StatusCode}: {ex.Status.Detail}); retry later", ex);
        }
    }
}
