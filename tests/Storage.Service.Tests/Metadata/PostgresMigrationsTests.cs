using Npgsql;
using Storage.Service.Configuration;
using Storage.Service.Metadata;
using Storage.Service.Tests.TestSupport;

namespace Storage.Service.Tests.Metadata;

/// <summary>The PostgreSQL schema migrations on a real server: once per version, also when replicas start together.</summary>
public sealed class PostgresMigrationsTests
{
    [Fact]
    public async Task Apply_FreshDatabase_EveryVersionAppliedAndRecordedWithItsDescription()
    {
        await using var database = await MetadataDatabase.CreateAsync(MetadataBackend.Postgres);
        await using var dataSource = NpgsqlDataSource.Create(database.Options.Postgres!.ConnectionString);

        var applied = await PostgresMigrations.ApplyAsync(dataSource, 0, CancellationToken.None).DefaultTimeout();

        Assert.Equal(PostgresMigrations.All.Select(m => m.Version), applied);
        Assert.Equal(PostgresMigrations.Latest, await PostgresMigrations.GetVersionAsync(dataSource, CancellationToken.None).DefaultTimeout());
        Assert.Equal(PostgresMigrations.All.Select(m => m.Description), await ColumnAsync(dataSource, "SELECT description FROM schema_version ORDER BY version;"));
    }

    [Fact]
    public async Task Apply_AlreadyAtLatestVersion_AppliesNothing()
    {
        await using var database = await MetadataDatabase.CreateAsync(MetadataBackend.Postgres);
        await using var dataSource = NpgsqlDataSource.Create(database.Options.Postgres!.ConnectionString);
        await PostgresMigrations.ApplyAsync(dataSource, 0, CancellationToken.None).DefaultTimeout();

        var again = await PostgresMigrations.ApplyAsync(dataSource, 0, CancellationToken.None).DefaultTimeout();

        Assert.Empty(again);
        Assert.Equal(PostgresMigrations.All.Count, (await ColumnAsync(dataSource, "SELECT description FROM schema_version;")).Count);
    }

    [Fact]
    public async Task Apply_FourReplicasStartingTogether_NoneFailsAndEachVersionAppliedOnce()
    {
        await using var database = await MetadataDatabase.CreateAsync(MetadataBackend.Postgres);
        var replicas = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(database.Options.Postgres!.ConnectionString)).ToList();
        try
        {
            var applied = await Task.WhenAll(replicas.Select(r => PostgresMigrations.ApplyAsync(r, 0, CancellationToken.None))).DefaultTimeout();

            Assert.Equal(PostgresMigrations.All.Select(m => m.Version), applied.SelectMany(a => a).Order());
            Assert.Equal(PostgresMigrations.All.Count, (await ColumnAsync(replicas[0], "SELECT description FROM schema_version;")).Count);
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task InitializeAsync_DatabaseFromNewerBuild_RefusesToStart()
    {
        await using var database = await MetadataDatabase.CreateAsync(MetadataBackend.Postgres);
        await (await database.OpenInitializedStoreAsync()).PingAsync(CancellationToken.None).DefaultTimeout();
        await using (var dataSource = NpgsqlDataSource.Create(database.Options.Postgres!.ConnectionString))
        {
            await ColumnAsync(dataSource, "INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'future', 0) RETURNING description;");
        }

        var older = database.OpenStore();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => older.InitializeAsync(CancellationToken.None)).DefaultTimeout();

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
    }

    private static async Task<List<string>> ColumnAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync().DefaultTimeout();
        var values = new List<string>();
        while (await reader.ReadAsync().DefaultTimeout())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }
}
