using Npgsql;
using Pipeline.Contracts.Storage.V1;

namespace Storage.Service.Metadata;

/// <summary>The row reads and writes <see cref="PostgresMetadataStore"/> composes inside its connections and transactions.</summary>
internal static class PostgresQueries
{
    /// <summary>
    /// Takes the write lock of one run id until the transaction ends: every write of a run (upsert, image, tiles, claim,
    /// delete) holds it, so writers on any replica read and write that run one after the other, new run ids included.
    /// </summary>
    internal static async Task LockRunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string runId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@run_id, 0));", connection, transaction);
        command.Parameters.AddWithValue("run_id", runId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task<RunRecord?> ReadRunAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string runId, bool withImages, CancellationToken cancellationToken)
    {
        RunRecord? run = null;
        await using (var command = new NpgsqlCommand($"SELECT {PostgresRows.RunColumns} FROM runs WHERE run_id = @run_id;", connection, transaction))
        {
            command.Parameters.AddWithValue("run_id", runId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                run = PostgresRows.ReadRun(reader);
            }
        }
        if (run is not null && withImages)
        {
            run.Images.AddRange(await ReadImagesAsync(connection, transaction, "run_id = @run_id", p => p.AddWithValue("run_id", runId), cancellationToken));
        }
        return run;
    }

    internal static async Task<ImageRecord?> ReadImageAtIndexAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string runId, int imageIndex, CancellationToken cancellationToken)
    {
        var images = await ReadImagesAsync(connection, transaction, "run_id = @run_id AND image_index = @index", p =>
        {
            p.AddWithValue("run_id", runId);
            p.AddWithValue("index", imageIndex);
        }, cancellationToken);
        return images.Count == 0 ? null : images[0];
    }

    internal static async Task<List<ImageRecord>> ReadImagesAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string where, Action<NpgsqlParameterCollection> bind,
        CancellationToken cancellationToken, string orderBy = "run_id, image_index")
    {
        await using var command = new NpgsqlCommand($"SELECT {PostgresRows.ImageColumns} FROM images WHERE {where} ORDER BY {orderBy};", connection, transaction);
        bind(command.Parameters);
        var images = new List<ImageRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            images.Add(PostgresRows.ReadImage(reader));
        }
        return images;
    }

    /// <summary>The WHERE fragment selecting <paramref name="tenant"/>'s runs (binding <c>@tenant</c>; see <see cref="RowValues.ToStoredTenant"/>).</summary>
    internal static string TenantFilter(NpgsqlParameterCollection parameters, string tenant)
    {
        parameters.AddWithValue("tenant", RowValues.ToStoredTenant(tenant));
        return "tenant = @tenant";
    }

    /// <summary>When a run was last written (Unix microseconds).</summary>
    internal static async Task<long> ReadUpdatedAtAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string runId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT updated_at FROM runs WHERE run_id = @run_id;", connection, transaction);
        command.Parameters.AddWithValue("run_id", runId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Writes a whole run row (insert, or replace every column but created_at).</summary>
    internal static async Task WriteRunRowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RunRecord row, long nowMicros, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO runs ({PostgresRows.RunColumns}, updated_at)
            VALUES ({PostgresRows.RunValues})
            ON CONFLICT (run_id) DO UPDATE SET
                config = excluded.config, mode = excluded.mode, provider = excluded.provider, model = excluded.model,
                operation = excluded.operation, prompt = excluded.prompt, revised_prompt = excluded.revised_prompt,
                parameters_json = excluded.parameters_json, seed = excluded.seed, state = excluded.state,
                started_at = excluded.started_at, completed_at = excluded.completed_at, usage_json = excluded.usage_json,
                cost_usd_micros = excluded.cost_usd_micros, trace_id = excluded.trace_id, error = excluded.error,
                tenant = excluded.tenant, request_digest_json = excluded.request_digest_json,
                attempts_json = excluded.attempts_json, cost_known = excluded.cost_known, parent_run_id = excluded.parent_run_id, local = excluded.local,
                updated_at = excluded.updated_at;
            """, connection, transaction);
        PostgresRows.BindRun(command, row, nowMicros);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Inserts an image row; ALREADY_EXISTS when its id is taken (by any run, on any replica: the primary key decides,
    /// not an earlier read).
    /// </summary>
    internal static async Task InsertImageRowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ImageRecord image, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO images ({PostgresRows.ImageColumns}) VALUES ({PostgresRows.ImageValues})
            ON CONFLICT (image_id) DO NOTHING;
            """, connection, transaction);
        PostgresRows.BindImage(command, image);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            // The holder may be another tenant's run: name nothing of it.
            StorageException.ThrowAlreadyExists("image_id", $"image id '{image.ImageId}' is already used; choose another image_id or leave it empty");
        }
    }
}
