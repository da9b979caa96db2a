using Microsoft.Data.Sqlite;
using Pipeline.Contracts.Storage.V1;

namespace Storage.Service.Metadata;

/// <summary>The row reads and writes <see cref="SqliteMetadataStore"/> composes inside its connections and transactions.</summary>
internal static class SqliteQueries
{
    internal static async Task<RunRecord?> ReadRunAsync(SqliteConnection connection, SqliteTransaction? transaction, string runId, bool withImages, CancellationToken cancellationToken)
    {
        RunRecord? run = null;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"SELECT {SqliteRows.RunColumns} FROM runs WHERE run_id = $run_id;";
            command.Parameters.AddWithValue("$run_id", runId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                run = SqliteRows.ReadRun(reader);
            }
        }
        if (run is not null && withImages)
        {
            run.Images.AddRange(await ReadImagesAsync(connection, transaction, "run_id = $run_id", p => p.AddWithValue("$run_id", runId), cancellationToken));
        }
        return run;
    }

    internal static async Task<ImageRecord?> ReadImageAtIndexAsync(SqliteConnection connection, SqliteTransaction? transaction, string runId, int imageIndex, CancellationToken cancellationToken)
    {
        var images = await ReadImagesAsync(connection, transaction, "run_id = $run_id AND image_index = $index", p =>
        {
            p.AddWithValue("$run_id", runId);
            p.AddWithValue("$index", imageIndex);
        }, cancellationToken);
        return images.Count == 0 ? null : images[0];
    }

    internal static async Task<List<ImageRecord>> ReadImagesAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string where, Action<SqliteParameterCollection> bind,
        CancellationToken cancellationToken, string orderBy = "run_id, image_index")
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {SqliteRows.ImageColumns} FROM images WHERE {where} ORDER BY {orderBy};";
        bind(command.Parameters);
        var images = new List<ImageRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            images.Add(SqliteRows.ReadImage(reader));
        }
        return images;
    }

    internal static async Task EnsureImageIdFreeAsync(SqliteConnection connection, SqliteTransaction transaction, string imageId, CancellationToken cancellationToken)
    {
        var taken = await ReadImagesAsync(connection, transaction, "image_id = $id", p => p.AddWithValue("$id", imageId), cancellationToken);
        if (taken.Count > 0)
        {
            // The holder may be another tenant's run: name nothing of it.
            StorageException.ThrowAlreadyExists("image_id", $"image id '{imageId}' is already used; choose another image_id or leave it empty");
        }
    }

    /// <summary>The WHERE fragment selecting <paramref name="tenant"/>'s runs (binding <c>$tenant</c>; see <see cref="RowValues.ToStoredTenant"/>).</summary>
    internal static string TenantFilter(SqliteParameterCollection parameters, string tenant)
    {
        parameters.AddWithValue("$tenant", RowValues.ToStoredTenant(tenant));
        return "tenant = $tenant";
    }

    /// <summary>When a run was last written (Unix microseconds).</summary>
    internal static async Task<long> ReadUpdatedAtAsync(SqliteConnection connection, SqliteTransaction transaction, string runId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT updated_at FROM runs WHERE run_id = $run_id;";
        command.Parameters.AddWithValue("$run_id", runId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Writes a whole run row (insert, or replace every column but created_at).</summary>
    internal static async Task WriteRunRowAsync(SqliteConnection connection, SqliteTransaction transaction, RunRecord row, long nowMicros, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO runs ({SqliteRows.RunColumns}, updated_at)
            VALUES ({SqliteRows.RunValues})
            ON CONFLICT (run_id) DO UPDATE SET
                config = excluded.config, mode = excluded.mode, provider = excluded.provider, model = excluded.model,
                operation = excluded.operation, prompt = excluded.prompt, revised_prompt = excluded.revised_prompt,
                parameters_json = excluded.parameters_json, seed = excluded.seed, state = excluded.state,
                started_at = excluded.started_at, completed_at = excluded.completed_at, usage_json = excluded.usage_json,
                cost_usd_micros = excluded.cost_usd_micros, trace_id = excluded.trace_id, error = excluded.error,
                tenant = excluded.tenant, request_digest_json = excluded.request_digest_json,
                attempts_json = excluded.attempts_json, cost_known = excluded.cost_known, parent_run_id = excluded.parent_run_id, local = excluded.local,
                updated_at = excluded.updated_at;
            """;
        SqliteRows.BindRun(command, row, nowMicros);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task InsertImageRowAsync(SqliteConnection connection, SqliteTransaction transaction, ImageRecord image, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO images ({SqliteRows.ImageColumns})
            VALUES ($image_id, $run_id, $image_index, $sha256, $mime_type, $width, $height, $size_bytes, $created_at,
                    $source_image_id, $grid_row, $grid_column);
            """;
        SqliteRows.BindImage(command, image);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
