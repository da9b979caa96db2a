using Pipeline.Contracts.Storage.V1;
using Pipeline.ServiceDefaults.Security;

namespace Storage.Service.Metadata;

/// <summary>Run-id claims and spend: the queries that decide who owns a run and what a tenant spent.</summary>
public sealed partial class SqliteMetadataStore
{
    public async Task<ClaimRunResponse> ClaimRunAsync(RunRecord run, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            // BEGIN IMMEDIATE: the write lock is taken before the read, so a second claim (in this or another process) waits for this one.
            await using var transaction = connection.BeginTransaction(deferred: false);
            var stored = await SqliteQueries.ReadRunAsync(connection, transaction, run.RunId, withImages: true, cancellationToken);
            var now = NowMicros();
            RunRecord row;
            if (stored is null)
            {
                row = run.Clone();
                row.Images.Clear();
                row.State = RunState.Running;
                row.CreatedAt ??= RowValues.ToTimestamp(now);
            }
            else if (stored.Tenant != Caller.OwnerOf(run.Tenant))
            {
                return new ClaimRunResponse { Result = ClaimResult.Taken };
            }
            else if (stored.RequestDifferences(run.RequestDigest) is { Count: > 0 } differences)
            {
                return new ClaimRunResponse { Result = ClaimResult.Conflict, Differences = { differences } };
            }
            else if (stored.State == RunState.Succeeded)
            {
                return new ClaimRunResponse { Result = ClaimResult.Completed, Run = stored };
            }
            else if (stored.State == RunState.Running && now - await SqliteQueries.ReadUpdatedAtAsync(connection, transaction, run.RunId, cancellationToken) <= (long)staleAfter.TotalMicroseconds)
            {
                return new ClaimRunResponse { Result = ClaimResult.Running, Run = stored };
            }
            else
            {
                // FAILED, abandoned or never given a state: the same request takes it over.
                row = RunMerge.Apply(stored, run);
                row.State = RunState.Running;
                row.Error = "";
                row.CompletedAt = null;
            }
            await SqliteQueries.WriteRunRowAsync(connection, transaction, row, now, cancellationToken);
            var claimed = await SqliteQueries.ReadRunAsync(connection, transaction, run.RunId, withImages: true, cancellationToken);
            await transaction.CommitAsync(CancellationToken.None);
            return new ClaimRunResponse { Result = ClaimResult.Claimed, Run = claimed };
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<GetSpendResponse> GetSpendAsync(string tenant, long sinceMicros, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var filter = SqliteQueries.TenantFilter(command.Parameters, tenant);
        // cost_known is NULL for runs recorded before it existed: not counted as unknown.
        command.CommandText = $"""
            SELECT coalesce(sum(cost_usd_micros), 0), count(*), coalesce(max(cost_known = 0), 0)
            FROM runs WHERE {filter} AND created_at >= $since;
            """;
        command.Parameters.AddWithValue("$since", sinceMicros);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new GetSpendResponse
        {
            CostUsdMicros = reader.GetInt64(0),
            Runs = reader.GetInt32(1),
            CostKnown = reader.GetInt64(2) == 0,
        };
    }
}
