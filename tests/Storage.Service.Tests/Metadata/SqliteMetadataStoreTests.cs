using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Storage.Service.Configuration;
using Storage.Service.Metadata;
using Storage.Service.Tests.TestSupport;

namespace Storage.Service.Tests.Metadata;

public sealed class SqliteMetadataStoreTests
{
    [Fact]
    public async Task InitializeAsync_NewDatabase_WalModeAndSchemaVersionRecorded()
    {
        using var data = new TempDirectory();
        using var store = CreateStore(data.Path);

        await store.InitializeAsync(CancellationToken.None).DefaultTimeout();
        await store.InitializeAsync(CancellationToken.None).DefaultTimeout();

        Assert.Equal(SqliteMigrations.Latest, await store.GetSchemaVersionAsync(CancellationToken.None).DefaultTimeout());
        Assert.Equal("wal", Scalar(data.Path, "PRAGMA journal_mode;"));
        Assert.Equal((long)SqliteMigrations.All.Count, Scalar(data.Path, "SELECT count(*) FROM schema_version;"));
        Assert.Equal("runs and images", Scalar(data.Path, "SELECT description FROM schema_version WHERE version = 1;"));
    }

    [Fact]
    public async Task InitializeAsync_DatabaseFromNewerBuild_RefusesToStart()
    {
        using var data = new TempDirectory();
        using (var store = CreateStore(data.Path))
        {
            await store.InitializeAsync(CancellationToken.None).DefaultTimeout();
        }
        Scalar(data.Path, "INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'future', 0);");

        using var older = CreateStore(data.Path);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => older.InitializeAsync(CancellationToken.None)).DefaultTimeout();

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
    }

    private static SqliteMetadataStore CreateStore(string directory) => new(
        new StorageOptions { BlobRoot = Path.Combine(directory, "blobs"), DatabasePath = Path.Combine(directory, "storage.db") },
        TimeProvider.System, NullLogger<SqliteMetadataStore>.Instance);

    private static object? Scalar(string directory, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "storage.db"), Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
