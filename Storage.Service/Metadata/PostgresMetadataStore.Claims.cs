using Pipeline.Contracts.Storage.V1;

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
        var answer = await MetadataQueries.ClaimRunRowAsync(connection, transaction, run, staleAfter, _time, cancellationToken);
        if (answer.Result == ClaimResult.Claimed)
        {
            await transaction.CommitAsync(CancellationToken.None);
        }
        return answer;
    }

    public async Task<GetSpendResponse> GetSpendAsync(string tenant, long sinceMicros, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand();
        var filter = MetadataQueries.TenantFilter(command, tenant);
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
