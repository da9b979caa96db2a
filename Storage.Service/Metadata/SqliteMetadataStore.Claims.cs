using Pipeline.Contracts.Storage.V1;

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
            var answer = await MetadataQueries.ClaimRunRowAsync(connection, transaction, run, staleAfter, _time, cancellationToken);
            if (answer.Result == ClaimResult.Claimed)
            {
                await transaction.CommitAsync(CancellationToken.None);
            }
            return answer;
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
        var filter = MetadataQueries.TenantFilter(command, tenant);
        // cost_known is NULL for runs recorded before it existed: not counted as unknown.
        command.CommandText = $"""
            SELECT coalesce(sum(cost_usd_micros), 0), count(*), coalesce(max(cost_known = 0), 0)
            FROM runs WHERE {filter} AND created_at >= @since;
            """;
        command.Bind("since", sinceMicros);
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
