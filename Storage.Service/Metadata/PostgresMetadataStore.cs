using System.Diagnostics.CodeAnalysis;
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
        return await PostgresQueries.ReadRunAsync(connection, null, runId, withImages: true, cancellationToken);
    }

    public async Task<RunRecord> UpsertRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresQueries.LockRunAsync(connection, transaction, run.RunId, cancellationToken);
        await UpsertRunCoreAsync(connection, transaction, run, cancellationToken);
        var stored = await PostgresQueries.ReadRunAsync(connection, transaction, run.RunId, withImages: true, cancellationToken);
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
        var images = await PostgresQueries.ReadImagesAsync(connection, null, "image_id = @id", p => p.AddWithValue("id", imageId), cancellationToken);
        return images.Count == 0 ? null : images[0];
    }

    public async Task<ImageRecord?> GetImageAtIndexAsync(string runId, int imageIndex, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await PostgresQueries.ReadImageAtIndexAsync(connection, null, runId, imageIndex, cancellationToken);
    }

    public async Task<(ImageRecord Image, bool Inserted)> InsertImageAsync(RunRecord run, ImageRecord image, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresQueries.LockRunAsync(connection, transaction, run.RunId, cancellationToken);
        await UpsertRunCoreAsync(connection, transaction, run, cancellationToken);
        var existing = await PostgresQueries.ReadImageAtIndexAsync(connection, transaction, image.RunId, image.ImageIndex, cancellationToken);
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
        int index;
        await using (var next = new NpgsqlCommand("SELECT coalesce(max(image_index) + 1, 0) FROM images WHERE run_id = @run_id;", connection, transaction))
        {
            next.Parameters.AddWithValue("run_id", runId);
            index = (int)(await next.ExecuteScalarAsync(cancellationToken))!;
        }
        var stored = new List<ImageRecord>(tiles.Count);
        foreach (var tile in tiles)
        {
            var record = tile.Clone();
            record.RunId = runId;
            record.ImageIndex = index++;
            record.ImageId = $"{runId}-{record.ImageIndex}";
            await PostgresQueries.InsertImageRowAsync(connection, transaction, record, cancellationToken);
            stored.Add(record);
        }
        await transaction.CommitAsync(CancellationToken.None);
        return stored;
    }

    public async Task<IReadOnlyList<ImageRecord>> GetTilesAsync(string sourceImageId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await PostgresQueries.ReadImagesAsync(connection, null, "source_image_id = @source", p => p.AddWithValue("source", sourceImageId),
            cancellationToken, "grid_row, grid_column, image_index");
    }

    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunFilter filter, string? tenant, RunCursor? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand { Connection = connection };
        var where = new List<string>();
        if (tenant is not null)
        {
            where.Add(PostgresQueries.TenantFilter(command.Parameters, tenant));
        }
        if (filter.Config.Length > 0)
        {
            where.Add("config = @config");
            command.Parameters.AddWithValue("config", filter.Config);
        }
        if (filter.State != RunState.Unspecified)
        {
            where.Add("state = @state");
            command.Parameters.AddWithValue("state", (int)filter.State);
        }
        if (filter.CreatedAfterMicros is { } createdAfter)
        {
            where.Add("created_at >= @created_after");
            command.Parameters.AddWithValue("created_after", createdAfter);
        }
        if (filter.CreatedBeforeMicros is { } createdBefore)
        {
            where.Add("created_at < @created_before");
            command.Parameters.AddWithValue("created_before", createdBefore);
        }
        if (after is not null)
        {
            where.Add("(created_at, run_id) < (@after_created, @after_run)");
            command.Parameters.AddWithValue("after_created", after.CreatedAtMicros);
            command.Parameters.AddWithValue("after_run", after.RunId);
        }
        command.CommandText = $"SELECT {PostgresRows.RunColumns} FROM runs"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + " ORDER BY created_at DESC, run_id DESC LIMIT @limit;";
        command.Parameters.AddWithValue("limit", limit);
        var runs = new List<RunRecord>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                runs.Add(PostgresRows.ReadRun(reader));
            }
        }
        if (runs.Count > 0)
        {
            var byId = runs.ToDictionary(r => r.RunId, StringComparer.Ordinal);
            var images = await PostgresQueries.ReadImagesAsync(connection, null, "run_id = ANY(@run_ids)",
                p => p.AddWithValue("run_ids", runs.Select(r => r.RunId).ToArray()), cancellationToken);
            foreach (var image in images)
            {
                byId[image.RunId].Images.Add(image);
            }
        }
        return runs;
    }

    public async Task<IReadOnlyList<ImageRecord>?> DeleteRunAsync(string runId, string? tenant, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresQueries.LockRunAsync(connection, transaction, runId, cancellationToken);
        var run = await PostgresQueries.ReadRunAsync(connection, transaction, runId, withImages: true, cancellationToken);
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
        await using var command = _dataSource.CreateCommand("SELECT DISTINCT sha256 FROM images;");
        var result = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(reader.GetString(0));
        }
        return result;
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT 1;");
        return (int)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();

    private async Task UpsertRunCoreAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RunRecord update, CancellationToken cancellationToken)
    {
        var stored = await PostgresQueries.ReadRunAsync(connection, transaction, update.RunId, withImages: false, cancellationToken);
        var now = NowMicros();
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
        await PostgresQueries.WriteRunRowAsync(connection, transaction, row, now, cancellationToken);
    }

    /// <summary>The refusal of a write to another tenant's run: names nothing of that run.</summary>
    [DoesNotReturn]
    private static void ThrowRunIdTaken(string runId) =>
        StorageException.ThrowAlreadyExists("run_id", $"run id '{runId}' is already taken; choose another run id");

    private long NowMicros() => RowValues.NowMicros(_time);
}
