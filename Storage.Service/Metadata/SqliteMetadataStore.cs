using Microsoft.Data.Sqlite;
using Pipeline.Contracts.Storage.V1;
using Pipeline.ServiceDefaults.Security;
using Storage.Service.Configuration;

namespace Storage.Service.Metadata;

/// <summary>
/// Metadata in one SQLite file: WAL journal, <c>synchronous=FULL</c> (a committed put survives power loss, not only a
/// crash), foreign keys on. Writes are serialised in-process; reads run concurrently beside them.
/// </summary>
public sealed partial class SqliteMetadataStore : IMetadataStore, IDisposable
{
    private readonly string _connectionString;
    private readonly StorageOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteMetadataStore> _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public SqliteMetadataStore(StorageOptions options, TimeProvider time, ILogger<SqliteMetadataStore> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        Directory.CreateDirectory(Path.GetDirectoryName(options.DatabasePath)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var applied = SqliteMigrations.Apply(connection, NowMicros());
        foreach (var version in applied)
        {
            StorageLog.MigrationApplied(_logger, version);
        }
        StorageLog.MetadataReady(_logger, _options.DatabasePath, SqliteMigrations.Latest);
    }

    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return SqliteMigrations.GetVersion(connection);
    }

    public async Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await MetadataQueries.ReadRunAsync(connection, null, runId, withImages: true, cancellationToken);
    }

    public async Task<RunRecord> UpsertRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction();
            await MetadataQueries.UpsertRunRowAsync(connection, transaction, run, _time, cancellationToken);
            var stored = await MetadataQueries.ReadRunAsync(connection, transaction, run.RunId, withImages: true, cancellationToken);
            await transaction.CommitAsync(CancellationToken.None);
            return stored!;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<string?> GetRunTenantAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT tenant FROM runs WHERE run_id = @run_id;";
        command.Parameters.AddWithValue("run_id", runId);
        return await command.ExecuteScalarAsync(cancellationToken) is string tenant ? Caller.OwnerOf(tenant) : null;
    }

    public async Task<ImageRecord?> GetImageAsync(string imageId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var images = await MetadataQueries.ReadImagesAsync(connection, null, "image_id = @id", c => c.Bind("id", imageId), cancellationToken);
        return images.Count == 0 ? null : images[0];
    }

    public async Task<ImageRecord?> GetImageAtIndexAsync(string runId, int imageIndex, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await MetadataQueries.ReadImageAtIndexAsync(connection, null, runId, imageIndex, cancellationToken);
    }

    public async Task<(ImageRecord Image, bool Inserted)> InsertImageAsync(RunRecord run, ImageRecord image, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction();
            await MetadataQueries.UpsertRunRowAsync(connection, transaction, run, _time, cancellationToken);
            var existing = await MetadataQueries.ReadImageAtIndexAsync(connection, transaction, image.RunId, image.ImageIndex, cancellationToken);
            if (existing is not null)
            {
                await transaction.CommitAsync(CancellationToken.None);
                return (existing, false);
            }
            await SqliteQueries.EnsureImageIdFreeAsync(connection, transaction, image.ImageId, cancellationToken);
            await SqliteQueries.InsertImageRowAsync(connection, transaction, image, cancellationToken);
            if (_options.FaultInjection.PauseBeforeMetadataCommit is { } pause)
            {
                await Task.Delay(pause, CancellationToken.None);
            }
            await transaction.CommitAsync(CancellationToken.None);
            return (image, true);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<IReadOnlyList<ImageRecord>> InsertTilesAsync(string runId, IReadOnlyList<ImageRecord> tiles, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction();
            var stored = await MetadataQueries.NumberTilesAsync(connection, transaction, runId, tiles, cancellationToken);
            foreach (var record in stored)
            {
                await SqliteQueries.EnsureImageIdFreeAsync(connection, transaction, record.ImageId, cancellationToken);
                await SqliteQueries.InsertImageRowAsync(connection, transaction, record, cancellationToken);
            }
            await transaction.CommitAsync(CancellationToken.None);
            return stored;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<IReadOnlyList<ImageRecord>> GetTilesAsync(string sourceImageId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await MetadataQueries.ReadImagesAsync(connection, null, "source_image_id = @source", c => c.Bind("source", sourceImageId),
            cancellationToken, "grid_row, grid_column, image_index");
    }

    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunFilter filter, string? tenant, RunCursor? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await MetadataQueries.ListRunsAsync(connection, filter, tenant, after, limit, SqliteQueries.RunIdIn, cancellationToken);
    }

    public async Task<IReadOnlyList<ImageRecord>?> DeleteRunAsync(string runId, string? tenant, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction();
            var run = await MetadataQueries.ReadRunAsync(connection, transaction, runId, withImages: true, cancellationToken);
            if (run is null || (tenant is not null && run.Tenant != tenant))
            {
                return null;
            }
            await using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM images WHERE run_id = @run_id; DELETE FROM runs WHERE run_id = @run_id;";
            delete.Parameters.AddWithValue("run_id", runId);
            await delete.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(CancellationToken.None);
            return [.. run.Images];
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<bool> IsBlobReferencedAsync(string sha256, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM images WHERE sha256 = @sha);";
        command.Parameters.AddWithValue("sha", sha256);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! != 0;
    }

    public async Task<IReadOnlySet<string>> GetReferencedBlobsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await MetadataQueries.ReadReferencedBlobsAsync(connection, cancellationToken);
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1;";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    public void Dispose()
    {
        _writeLock.Dispose();
        SqliteConnection.ClearAllPools();
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private long NowMicros() => RowValues.NowMicros(_time);
}
