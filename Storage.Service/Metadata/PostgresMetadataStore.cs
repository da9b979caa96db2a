using Npgsql;
using Pipeline.Contracts.Storage.V1;
using Pipeline.ServiceDefaults.Security;
using Storage.Service.Configuration;

namespace Storage.Service.Metadata;

/// <summary>
/// Metadata in a PostgreSQL database that several storage replicas may share. Every write of a run holds that run's
/// advisory lock for its transaction (<see cref="PostgresQueries.LockRunAsync"/>), so a read-merge-write, a claim or an
/// image insert is atomic across processes; reads take no lock.
/// </summary>
public sealed partial class PostgresMetadataStore : IMetadataStore, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly StorageOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresMetadataStore> _logger;

    public PostgresMetadataStore(StorageOptions options, TimeProvider time, ILogger<PostgresMetadataStore> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        var connectionString = options.Postgres?.ConnectionString
            ?? throw new InvalidOperationException($"{nameof(StorageOptions)}.{nameof(StorageOptions.Postgres)} is not set; the PostgreSQL backend needs it.");
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
        {
            builder.ConnectionStringBuilder.ApplicationName = "Storage.Service";
        }
        _dataSource = builder.Build();
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var applied = await PostgresMigrations.ApplyAsync(_dataSource, NowMicros(), cancellationToken);
        foreach (var version in applied)
        {
            StorageLog.MigrationApplied(_logger, version);
        }
        var database = new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString);
        StorageLog.PostgresMetadataReady(_logger, database.Host ?? "", database.Port, database.Database ?? "", PostgresMigrations.Latest);
    }

    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken) => PostgresMigrations.GetVersionAsync(_dataSource, cancellationToken);

    public async Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await MetadataQueries.ReadRunAsync(connection, null, runId, withImages: true, cancellationToken);
    }

    public async Task<RunRecord> UpsertRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresQueries.LockRunAsync(connection, transaction, run.RunId, cancellationToken);
        await MetadataQueries.UpsertRunRowAsync(connection, transaction, run, _time, cancellationToken);
        var stored = await MetadataQueries.ReadRunAsync(connection, transaction, run.RunId, withImages: true, cancellationToken);
        await transaction.CommitAsync(CancellationToken.None);
        return stored!;
    }

    public async Task<string?> GetRunTenantAsync(string runId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT tenant FROM runs WHERE run_id = @run_id;");
        command.Parameters.AddWithValue("run_id", runId);
        return await command.ExecuteScalarAsync(cancellationToken) is string tenant ? Caller.OwnerOf(tenant) : null;
    }

    public async Task<ImageRecord?> GetImageAsync(string imageId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var images = await MetadataQueries.ReadImagesAsync(connection, null, "image_id = @id", c => c.Bind("id", imageId), cancellationToken);
        return images.Count == 0 ? null : images[0];
    }

    public async Task<ImageRecord?> GetImageAtIndexAsync(string runId, int imageIndex, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await MetadataQueries.ReadImageAtIndexAsync(connection, null, runId, imageIndex, cancellationToken);
    }

    public async Task<(ImageRecord Image, bool Inserted)> InsertImageAsync(RunRecord run, ImageRecord image, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresQueries.LockRunAsync(connection, transaction, run.RunId, cancellationToken);
        await MetadataQueries.UpsertRunRowAsync(connection, transaction, run, _time, cancellationToken);
        var existing = await MetadataQueries.ReadImageAtIndexAsync(connection, transaction, image.RunId, image.ImageIndex, cancellationToken);
        if (existing is not null)
        {
            await transaction.CommitAsync(CancellationToken.None);
            return (existing, false);
        }
        await PostgresQueries.InsertImageRowAsync(connection, transaction, image, cancellationToken);
        if (_options.FaultInjection.PauseBeforeMetadataCommit is { } pause)
        {
            await Task.Delay(pause, CancellationToken.None);
        }
        await transaction.CommitAsync(CancellationToken.None);
        return (image, true);
    }

    public async Task<IReadOnlyList<ImageRecord>> InsertTilesAsync(string runId, IReadOnlyList<ImageRecord> tiles, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresQueries.LockRunAsync(connection, transaction, runId, cancellationToken);
        var stored = await MetadataQueries.NumberTilesAsync(connection, transaction, runId, tiles, cancellationToken);
        foreach (var record in stored)
        {
            await PostgresQueries.InsertImageRowAsync(connection, transaction, record, cancellationToken);
        }
        await transaction.CommitAsync(CancellationToken.None);
        return stored;
    }

    public async Task<IReadOnlyList<ImageRecord>> GetTilesAsync(string sourceImageId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await MetadataQueries.ReadImagesAsync(connection, null, "source_image_id = @source", c => c.Bind("source", sourceImageId),
            cancellationToken, "grid_row, grid_column, image_index");
    }

    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunFilter filter, string? tenant, RunCursor? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await MetadataQueries.ListRunsAsync(connection, filter, tenant, after, limit, PostgresQueries.RunIdIn, cancellationToken);
    }

    public async Task<IReadOnlyList<ImageRecord>?> DeleteRunAsync(string runId, string? tenant, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresQueries.LockRunAsync(connection, transaction, runId, cancellationToken);
        var run = await MetadataQueries.ReadRunAsync(connection, transaction, runId, withImages: true, cancellationToken);
        if (run is null || (tenant is not null && run.Tenant != tenant))
        {
            return null;
        }
        await using (var delete = new NpgsqlCommand("DELETE FROM images WHERE run_id = @run_id; DELETE FROM runs WHERE run_id = @run_id;", connection, transaction))
        {
            delete.Parameters.AddWithValue("run_id", runId);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(CancellationToken.None);
        return [.. run.Images];
    }

    public async Task<bool> IsBlobReferencedAsync(string sha256, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM images WHERE sha256 = @sha);");
        command.Parameters.AddWithValue("sha", sha256);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlySet<string>> GetReferencedBlobsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await MetadataQueries.ReadReferencedBlobsAsync(connection, cancellationToken);
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT 1;");
        return (int)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();

    private long NowMicros() => RowValues.NowMicros(_time);
}
