using Pipeline.Contracts.ImageGen.V1;
using StorageRuns = Pipeline.Contracts.Storage.V1;
using Grpc.Core;
using Pipeline.ServiceDefaults.Security;
using Router.Service.Catalogue;
using Router.Service.Generation;

namespace Router.Service.Storage;

/// <summary>Reading runs for callers (gRPC GetRun, HTTP <c>/api/runs</c>): from Storage.Service, as public <see cref="Run"/>s.</summary>
public sealed class RunQueries(RunStore store)
{
    /// <summary>Largest page of runs.</summary>
    public const int MaxPageSize = 100;

    /// <summary>Runs per page when the caller names no size.</summary>
    public const int DefaultPageSize = 20;

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

    /// <summary>
    /// A page of <paramref name="caller"/>'s runs, newest first, each with its images: page_size 1-100 (0 = 20), filters by
    /// config, status and creation time, and the token of the next page ("" on the last).
    /// </summary>
    public async Task<ListRunsResponse> ListAsync(ListRunsRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (request.PageSize is < 0 or > MaxPageSize)
        {
            RouterException.ThrowInvalid([new ParameterViolation("page_size", $"page_size = {request.PageSize} is out of range; allowed: 1-{MaxPageSize}, or 0 for {DefaultPageSize}")]);
        }
        var page = await CallAsync(() => store.ListRunsAsync(new StorageRuns.ListRunsRequest
        {
            PageSize = request.PageSize == 0 ? DefaultPageSize : request.PageSize,
            PageToken = request.PageToken,
            Config = request.Config,
            State = RunMapper.ToState(request.Status),
            CreatedAfter = request.CreatedAfter,
            CreatedBefore = request.CreatedBefore,
        }, caller, cancellationToken));
        return new ListRunsResponse { Runs = { page.Runs.Select(RunMapper.ToRun) }, NextPageToken = page.NextPageToken };
    }

    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            throw RouterException.StorageUnavailable(null, ex);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
        {
            // Storage refused what the caller sent (e.g. a page_token it never issued): the caller's mistake, named as storage named it.
            var field = ex.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations.FirstOrDefault()?.Field ?? "request";
            throw RouterException.Invalid([new ParameterViolation(field, ex.Status.Detail)]);
        }
    }
}
