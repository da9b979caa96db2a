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
            StorageException.ThrowAlreadyExists("image_id",
                $"image id '{imageId}' is already used by run '{taken[0].RunId}' index {taken[0].ImageIndex}; choose another image_id or leave it empty");
        }
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
