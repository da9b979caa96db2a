using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Pipeline.Contracts.Storage.V1;
using Pipeline.ServiceDefaults.Security;

namespace Storage.Service.Metadata;

/// <summary>
/// The row reads and writes whose SQL is the same in SQLite and PostgreSQL. Each store composes them inside its own
/// connections, transactions and locks; what differs by dialect stays in <see cref="SqliteQueries"/> and <see cref="PostgresQueries"/>.
/// </summary>
internal static class MetadataQueries
{
    internal static async Task<RunRecord?> ReadRunAsync(DbConnection connection, DbTransaction? transaction, string runId, bool withImages, CancellationToken cancellationToken)
    {
        RunRecord? run = null;
        await using (var command = CreateCommand(connection, transaction, $"SELECT {MetadataRows.RunColumns} FROM runs WHERE run_id = @run_id;"))
        {
            command.Bind("run_id", runId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                run = MetadataRows.ReadRun(reader);
            }
        }
        if (run is not null && withImages)
        {
            run.Images.AddRange(await ReadImagesAsync(connection, transaction, "run_id = @run_id", c => c.Bind("run_id", runId), cancellationToken));
        }
        return run;
    }

    internal static async Task<ImageRecord?> ReadImageAtIndexAsync(DbConnection connection, DbTransaction? transaction, string runId, int imageIndex, CancellationToken cancellationToken)
    {
        var images = await ReadImagesAsync(connection, transaction, "run_id = @run_id AND image_index = @index", c =>
        {
            c.Bind("run_id", runId);
            c.Bind("index", imageIndex);
        }, cancellationToken);
        return images.Count == 0 ? null : images[0];
    }

    internal static async Task<List<ImageRecord>> ReadImagesAsync(
        DbConnection connection, DbTransaction? transaction, string where, Action<DbCommand> bind,
        CancellationToken cancellationToken, string orderBy = "run_id, image_index")
    {
        await using var command = CreateCommand(connection, transaction, $"SELECT {MetadataRows.ImageColumns} FROM images WHERE {where} ORDER BY {orderBy};");
        bind(command);
        var images = new List<ImageRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            images.Add(MetadataRows.ReadImage(reader));
        }
        return images;
    }

    /// <summary>The WHERE fragment selecting <paramref name="tenant"/>'s runs (binding <c>@tenant</c>; see <see cref="RowValues.ToStoredTenant"/>).</summary>
    internal static string TenantFilter(DbCommand command, string tenant)
    {
        command.Bind("tenant", RowValues.ToStoredTenant(tenant));
        return "tenant = @tenant";
    }

    /// <summary>
    /// One page of runs, newest first, with their images. <paramref name="runIdIn"/> gives the WHERE fragment that selects
    /// a list of run ids and how to bind it (the one piece of this query the dialects write differently).
    /// </summary>
    internal static async Task<List<RunRecord>> ListRunsAsync(
        DbConnection connection, RunFilter filter, string? tenant, RunCursor? after, int limit,
        Func<IReadOnlyList<string>, (string Where, Action<DbCommand> Bind)> runIdIn, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        var where = new List<string>();
        if (tenant is not null)
        {
            where.Add(TenantFilter(command, tenant));
        }
        if (filter.Config.Length > 0)
        {
            where.Add("config = @config");
            command.Bind("config", filter.Config);
        }
        if (filter.State != RunState.Unspecified)
        {
            where.Add("state = @state");
            command.Bind("state", (int)filter.State);
        }
        if (filter.CreatedAfterMicros is { } createdAfter)
        {
            where.Add("created_at >= @created_after");
            command.Bind("created_after", createdAfter);
        }
        if (filter.CreatedBeforeMicros is { } createdBefore)
        {
            where.Add("created_at < @created_before");
            command.Bind("created_before", createdBefore);
        }
        if (after is not null)
        {
            where.Add("(created_at, run_id) < (@after_created, @after_run)");
            command.Bind("after_created", after.CreatedAtMicros);
            command.Bind("after_run", after.RunId);
        }
        command.CommandText = $"SELECT {MetadataRows.RunColumns} FROM runs"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + " ORDER BY created_at DESC, run_id DESC LIMIT @limit;";
        command.Bind("limit", limit);
        var runs = new List<RunRecord>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                runs.Add(MetadataRows.ReadRun(reader));
            }
        }
        if (runs.Count > 0)
        {
            var byId = runs.ToDictionary(r => r.RunId, StringComparer.Ordinal);
            var (inRuns, bindRuns) = runIdIn([.. runs.Select(r => r.RunId)]);
            var images = await ReadImagesAsync(connection, null, inRuns, bindRuns, cancellationToken);
            foreach (var image in images)
            {
                byId[image.RunId].Images.Add(image);
            }
        }
        return runs;
    }

    /// <summary>
    /// The image rows of <paramref name="tiles"/> in <paramref name="runId"/>: numbered from the run's next free image
    /// index on, each with the id <c>{run id}-{index}</c>. The caller inserts them in the same transaction.
    /// </summary>
    internal static async Task<List<ImageRecord>> NumberTilesAsync(
        DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<ImageRecord> tiles, CancellationToken cancellationToken)
    {
        int index;
        await using (var next = CreateCommand(connection, transaction, "SELECT coalesce(max(image_index) + 1, 0) FROM images WHERE run_id = @run_id;"))
        {
            next.Bind("run_id", runId);
            // PostgreSQL answers an integer, SQLite a 64-bit integer.
            index = Convert.ToInt32(await next.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        var rows = new List<ImageRecord>(tiles.Count);
        foreach (var tile in tiles)
        {
            var row = tile.Clone();
            row.RunId = runId;
            row.ImageIndex = index++;
            row.ImageId = $"{runId}-{row.ImageIndex}";
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>The SHA-256 of every blob an image row names.</summary>
    internal static async Task<IReadOnlySet<string>> ReadReferencedBlobsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, null, "SELECT DISTINCT sha256 FROM images;");
        var result = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(reader.GetString(0));
        }
        return result;
    }

    /// <summary>When a run was last written (Unix microseconds).</summary>
    internal static async Task<long> ReadUpdatedAtAsync(DbConnection connection, DbTransaction transaction, string runId, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, transaction, "SELECT updated_at FROM runs WHERE run_id = @run_id;");
        command.Bind("run_id", runId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Writes a whole run row (insert, or replace every column but created_at).</summary>
    internal static async Task WriteRunRowAsync(DbConnection connection, DbTransaction transaction, RunRecord row, long nowMicros, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, transaction, $"""
            INSERT INTO runs ({MetadataRows.RunColumns}, updated_at)
            VALUES ({MetadataRows.RunValues})
            ON CONFLICT (run_id) DO UPDATE SET
                config = excluded.config, mode = excluded.mode, provider = excluded.provider, model = excluded.model,
                operation = excluded.operation, prompt = excluded.prompt, revised_prompt = excluded.revised_prompt,
                parameters_json = excluded.parameters_json, seed = excluded.seed, state = excluded.state,
                started_at = excluded.started_at, completed_at = excluded.completed_at, usage_json = excluded.usage_json,
                cost_usd_micros = excluded.cost_usd_micros, trace_id = excluded.trace_id, error = excluded.error,
                tenant = excluded.tenant, request_digest_json = excluded.request_digest_json,
                attempts_json = excluded.attempts_json, cost_known = excluded.cost_known, parent_run_id = excluded.parent_run_id, local = excluded.local,
                updated_at = excluded.updated_at;
            """);
        MetadataRows.BindRun(command, row, nowMicros);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The upsert rule inside the caller's transaction (which already holds the run's write lock): a new run is written
    /// as given, a stored one merged (<see cref="RunMerge"/>); ALREADY_EXISTS when the run is another tenant's.
    /// </summary>
    internal static async Task UpsertRunRowAsync(DbConnection connection, DbTransaction transaction, RunRecord update, TimeProvider time, CancellationToken cancellationToken)
    {
        var stored = await ReadRunAsync(connection, transaction, update.RunId, withImages: false, cancellationToken);
        var now = RowValues.NowMicros(time);
        RunRecord row;
        if (stored is null)
        {
            row = update.Clone();
            row.Images.Clear();
            row.CreatedAt ??= RowValues.ToTimestamp(now);
        }
        else
        {
            if (update.Tenant.Length > 0 && Caller.OwnerOf(update.Tenant) != stored.Tenant)
            {
                ThrowRunIdTaken(update.RunId);
            }
            row = RunMerge.Apply(stored, update);
        }
        await WriteRunRowAsync(connection, transaction, row, now, cancellationToken);
    }

    /// <summary>
    /// A claim inside the caller's transaction (which already holds the run's write lock): <see cref="RunClaim"/> decides,
    /// and a claimed run is written and read back. The caller commits only a <see cref="ClaimResult.Claimed"/> answer.
    /// </summary>
    internal static async Task<ClaimRunResponse> ClaimRunRowAsync(
        DbConnection connection, DbTransaction transaction, RunRecord run, TimeSpan staleAfter, TimeProvider time, CancellationToken cancellationToken)
    {
        var stored = await ReadRunAsync(connection, transaction, run.RunId, withImages: true, cancellationToken);
        var now = RowValues.NowMicros(time);
        var decision = await RunClaim.DecideAsync(stored, run, now, staleAfter,
            () => ReadUpdatedAtAsync(connection, transaction, run.RunId, cancellationToken));
        if (decision.Row is not { } row)
        {
            return decision.Answer!;
        }
        await WriteRunRowAsync(connection, transaction, row, now, cancellationToken);
        var claimed = await ReadRunAsync(connection, transaction, run.RunId, withImages: true, cancellationToken);
        return new ClaimRunResponse { Result = ClaimResult.Claimed, Run = claimed };
    }

    internal static DbCommand CreateCommand(DbConnection connection, DbTransaction? transaction, string commandText)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = commandText;
        return command;
    }

    /// <summary>The refusal of a write to another tenant's run: names nothing of that run.</summary>
    [DoesNotReturn]
    private static void ThrowRunIdTaken(string runId) =>
        StorageException.ThrowAlreadyExists("run_id", $"run id '{runId}' is already taken; choose another run id");
}
