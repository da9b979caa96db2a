using Microsoft.Data.Sqlite;
using Pipeline.Contracts.Storage.V1;
using Storage.Service.Metadata;
using Storage.Service.Tests.TestSupport;

namespace Storage.Service.Tests.Metadata;

public sealed class SqliteMigrationsTests
{
    [Fact]
    public async Task Migrate_DatabaseAtVersionOne_KeepsOldRunsAsTheDefaultTenants()
    {
        using var data = new TempDirectory();
        CreateVersionOneDatabase(Path.Combine(data.Path, "storage.db"));

        await using var host = await StorageHost.StartAsync(StorageBackend.Sqlite, dataDirectory: data.Path);

        var run = await host.Client.GetRunAsync(new GetRunRequest { RunId = "legacy" }, Requests.Timeout).ResponseAsync.DefaultTimeout();
        Assert.Equal(("default", "old_cfg", 1234L), (run.Tenant, run.Config, run.CostUsdMicros));
        Assert.False(run.HasCostKnown);
        Assert.Empty(run.RequestDigest);
        Assert.Empty(run.Attempts);
        var listed = await host.Client.ListRunsAsync(new ListRunsRequest(), Requests.As(Requests.Member("default"))).ResponseAsync.DefaultTimeout();
        Assert.Equal("legacy", Assert.Single(listed.Runs).RunId);
        var otherTenant = await host.Client.ListRunsAsync(new ListRunsRequest(), Requests.As(Requests.Member("beta"))).ResponseAsync.DefaultTimeout();
        Assert.Empty(otherTenant.Runs);
        var spend = await host.Client.GetSpendAsync(new GetSpendRequest(), Requests.Timeout).ResponseAsync.DefaultTimeout();
        Assert.Equal((1234L, 1, true), (spend.CostUsdMicros, spend.Runs, spend.CostKnown));
        using var connection = Open(Path.Combine(data.Path, "storage.db"));
        Assert.Equal((long)SqliteMigrations.Latest, Scalar(connection, "SELECT max(version) FROM schema_version;"));
        Assert.Equal("", Scalar(connection, "SELECT tenant FROM runs WHERE run_id = 'legacy';"));
        Assert.Equal(1L, Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'ix_runs_tenant_created';"));
    }

    /// <summary>The schema as the first release left it, with one run written by that release.</summary>
    private static void CreateVersionOneDatabase(string path)
    {
        using var connection = Open(path);
        Scalar(connection, "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL);");
        Scalar(connection, SqliteMigrations.All.Single(m => m.Version == 1).Sql);
        Scalar(connection, "INSERT INTO schema_version VALUES (1, 'runs and images', 0);");
        Scalar(connection, """
            INSERT INTO runs (run_id, config, state, created_at, cost_usd_micros, updated_at)
            VALUES ('legacy', 'old_cfg', 2, 1767225600000000, 1234, 1767225600000000);
            """);
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
