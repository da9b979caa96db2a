using Pipeline.Contracts.Storage.V1;
using Pipeline.ServiceDefaults.Security;

namespace Storage.Service.Metadata;

/// <summary>The claim rule of the contract: who gets a run id, whatever the backend that stores it.</summary>
internal static class RunClaim
{
    /// <summary>What a claim does: answer without writing (<see cref="Answer"/>), or write <see cref="Row"/> and answer Claimed.</summary>
    internal readonly record struct Decision(ClaimRunResponse? Answer, RunRecord? Row);

    /// <summary>
    /// Decides a claim of <paramref name="request"/> against the <paramref name="stored"/> run (null when there is none).
    /// <paramref name="readUpdatedAt"/> (when the stored run was last written, Unix microseconds) is read only for a
    /// running run, to tell a live one from an abandoned one.
    /// </summary>
    public static async Task<Decision> DecideAsync(RunRecord? stored, RunRecord request, long nowMicros, TimeSpan staleAfter, Func<Task<long>> readUpdatedAt)
    {
        if (stored is null)
        {
            var row = request.Clone();
            row.Images.Clear();
            row.State = RunState.Running;
            row.CreatedAt ??= RowValues.ToTimestamp(nowMicros);
            return new(null, row);
        }
        if (stored.Tenant != Caller.OwnerOf(request.Tenant))
        {
            return new(new ClaimRunResponse { Result = ClaimResult.Taken }, null);
        }
        if (stored.RequestDifferences(request.RequestDigest) is { Count: > 0 } differences)
        {
            return new(new ClaimRunResponse { Result = ClaimResult.Conflict, Differences = { differences } }, null);
        }
        if (stored.State == RunState.Succeeded)
        {
            return new(new ClaimRunResponse { Result = ClaimResult.Completed, Run = stored }, null);
        }
        if (stored.State == RunState.Running && nowMicros - await readUpdatedAt() <= (long)staleAfter.TotalMicroseconds)
        {
            return new(new ClaimRunResponse { Result = ClaimResult.Running, Run = stored }, null);
        }
        // FAILED, abandoned or never given a state: the same request takes it over.
        var takeover = RunMerge.Apply(stored, request);
        takeover.State = RunState.Running;
        takeover.Error = "";
        takeover.CompletedAt = null;
        return new(null, takeover);
    }
}
