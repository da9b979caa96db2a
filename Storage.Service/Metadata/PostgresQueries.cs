using System.Data.Common;
using Npgsql;
using Pipeline.Contracts.Storage.V1;

namespace Storage.Service.Metadata;

/// <summary>The PostgreSQL locks and writes of <see cref="PostgresMetadataStore"/> whose SQL is its own (the rest is <see cref="MetadataQueries"/>).</summary>
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

    /// <summary>
    /// Inserts an image row; ALREADY_EXISTS when its id is taken (by any run, on any replica: the primary key decides,
    /// not an earlier read).
    /// </summary>
    internal static async Task InsertImageRowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ImageRecord image, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO images ({MetadataRows.ImageColumns}) VALUES ({MetadataRows.ImageValues})
            ON CONFLICT (image_id) DO NOTHING;
            """, connection, transaction);
        MetadataRows.BindImage(command, image);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            // The holder may be another tenant's run: name nothing of it.
            StorageException.ThrowAlreadyExists("image_id", $"image id '{image.ImageId}' is already used; choose another image_id or leave it empty");
        }
    }

    /// <summary>The WHERE fragment selecting runs by id: one array parameter.</summary>
    internal static (string Where, Action<DbCommand> Bind) RunIdIn(IReadOnlyList<string> runIds) =>
        ("run_id = ANY(@run_ids)", command => command.Bind("run_ids", runIds.ToArray()));
}
