using System.Data.Common;
using Microsoft.Data.Sqlite;
using Pipeline.Contracts.Storage.V1;

namespace Storage.Service.Metadata;

/// <summary>The SQLite writes of <see cref="SqliteMetadataStore"/> whose SQL is its own (the rest is <see cref="MetadataQueries"/>).</summary>
internal static class SqliteQueries
{
    internal static async Task EnsureImageIdFreeAsync(SqliteConnection connection, SqliteTransaction transaction, string imageId, CancellationToken cancellationToken)
    {
        var taken = await MetadataQueries.ReadImagesAsync(connection, transaction, "image_id = @id", c => c.Bind("id", imageId), cancellationToken);
        if (taken.Count > 0)
        {
            // The holder may be another tenant's run: name nothing of it.
            StorageException.ThrowAlreadyExists("image_id", $"image id '{imageId}' is already used; choose another image_id or leave it empty");
        }
    }

    internal static async Task InsertImageRowAsync(SqliteConnection connection, SqliteTransaction transaction, ImageRecord image, CancellationToken cancellationToken)
    {
        await using var command = MetadataQueries.CreateCommand(connection, transaction,
            $"INSERT INTO images ({MetadataRows.ImageColumns}) VALUES ({MetadataRows.ImageValues});");
        MetadataRows.BindImage(command, image);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The WHERE fragment selecting runs by id (SQLite has no arrays: one parameter a run).</summary>
    internal static (string Where, Action<DbCommand> Bind) RunIdIn(IReadOnlyList<string> runIds) =>
        ($"run_id IN ({string.Join(", ", runIds.Select((_, i) => $"@r{i}"))})", command =>
        {
            for (var i = 0; i < runIds.Count; i++)
            {
                command.Bind($"r{i}", runIds[i]);
            }
        });
}
