using Pipeline.Contracts.Storage.V1;
using Pipeline.ServiceDefaults.Security;

namespace Storage.Service.Metadata;

/// <summary>Run-id claims and spend: the queries that decide who owns a run and what a tenant spent.</summary>
public sealed partial class PostgresMetadataStore
{
    public async Task<ClaimRunResponse> ClaimRunAsync(RunRecord run, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The run's lock is taken before the read, so a second claim (on this or another replica) reads what this one wrote.
        await PostgresQueries.LockRunAsync(connection, transaction, run.RunId, cancellationToken);
        var stored = await PostgresQueries.ReadRunAsync(connection, transaction, run.RunId, withImages: true, cancellationToken);
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
        else if (stored.State == RunState.Running && now - await PostgresQueries.ReadUpdatedAtAsync(connection, transaction, run.RunId, cancellationToken) <= (long)staleAfter.TotalMicroseconds)
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
        await PostgresQueries.WriteRunRowAsync(connection, transaction, row, now, cancellationToken);
        var claimed = await PostgresQueries.ReadRunAsync(connection, transaction, run.RunId, withImages: true, cancellationToken);
        await transaction.CommitAsync(CancellationToken.None);
        return new ClaimRunResponse { Result = ClaimResult.Claimed, Run = claimed };
    }

    public async Task<GetSpendResponse> GetSpendAsync(string tenant, long sinceMicros, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand();
        var filter = PostgresQueries.TenantFilter(command.Parameters, tenant);
        // cost_known is NULL for runs recorded without it: not counted as unknown.
        command.CommandText = $"""
            SELECT coalesce(sum(cost_usd_micros), 0)::bigint, count(*), coalesce(bool_or(NOT cost_known), false)
            FROM runs WHERE {filter} AND created_at >= @since;
            """;
        command.Parameters.AddWithValue("since", sinceMicros);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new GetSpendResponse
        {
            CostUsdMicros = reader.GetInt64(0),
            Runs = (int)reader.GetInt64(1),
            CostKnown = !reader.GetBoolean(2),
        };
    }
}
