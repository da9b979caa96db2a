using Microsoft.Data.Sqlite;

namespace Storage.Service.Metadata;

/// <summary>
/// The SQLite schema as numbered migrations, applied in order at start-up, each in its own transaction together with
/// its row in <c>schema_version</c>. Append new migrations; never edit an applied one.
/// </summary>
internal static class SqliteMigrations
{
    public sealed record Migration(int Version, string Description, string Sql);

    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "runs and images", """
            CREATE TABLE runs (
                run_id          TEXT    NOT NULL PRIMARY KEY,
                config          TEXT    NOT NULL DEFAULT '',
                mode            TEXT    NOT NULL DEFAULT '',
                provider        TEXT    NOT NULL DEFAULT '',
                model           TEXT    NOT NULL DEFAULT '',
                operation       TEXT    NOT NULL DEFAULT '',
                prompt          TEXT    NOT NULL DEFAULT '',
                revised_prompt  TEXT    NOT NULL DEFAULT '',
                parameters_json TEXT    NULL,
                seed            INTEGER NULL,
                state           INTEGER NOT NULL DEFAULT 0,
                created_at      INTEGER NOT NULL,
                started_at      INTEGER NULL,
                completed_at    INTEGER NULL,
                usage_json      TEXT    NULL,
                cost_usd_micros INTEGER NOT NULL DEFAULT 0,
                trace_id        TEXT    NOT NULL DEFAULT '',
                error           TEXT    NOT NULL DEFAULT '',
                updated_at      INTEGER NOT NULL
            );
            CREATE INDEX ix_runs_created ON runs (created_at DESC, run_id DESC);
            CREATE INDEX ix_runs_config_created ON runs (config, created_at DESC, run_id DESC);

            CREATE TABLE images (
                image_id        TEXT    NOT NULL PRIMARY KEY,
                run_id          TEXT    NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
                image_index     INTEGER NOT NULL,
                sha256          TEXT    NOT NULL,
                mime_type       TEXT    NOT NULL,
                width           INTEGER NOT NULL,
                height          INTEGER NOT NULL,
                size_bytes      INTEGER NOT NULL,
                created_at      INTEGER NOT NULL,
                source_image_id TEXT    NULL,
                grid_row        INTEGER NOT NULL DEFAULT 0,
                grid_column     INTEGER NOT NULL DEFAULT 0,
                UNIQUE (run_id, image_index)
            );
            CREATE INDEX ix_images_sha256 ON images (sha256);
            CREATE INDEX ix_images_source ON images (source_image_id) WHERE source_image_id IS NOT NULL;
            """),
        // Runs recorded before tenants keep tenant '' (the default tenant); cost_known stays NULL for them (unknown).
        new(2, "run tenant, request digest, attempts and cost_known", """
            ALTER TABLE runs ADD COLUMN tenant TEXT NOT NULL DEFAULT '';
            ALTER TABLE runs ADD COLUMN request_digest_json TEXT NULL;
            ALTER TABLE runs ADD COLUMN attempts_json TEXT NULL;
            ALTER TABLE runs ADD COLUMN cost_known INTEGER NULL;
            CREATE INDEX ix_runs_tenant_created ON runs (tenant, created_at DESC, run_id DESC);
            """),
        new(3, "run parent (regenerate)", """
            ALTER TABLE runs ADD COLUMN parent_run_id TEXT NOT NULL DEFAULT '';
            """),
        new(4, "run made by a local backend (eco mode)", """
            ALTER TABLE runs ADD COLUMN local INTEGER NOT NULL DEFAULT 0;
            """),
    ];

    public static int Latest => All[^1].Version;

    /// <summary>Brings the database to <see cref="Latest"/>; returns the versions applied now.</summary>
    public static IReadOnlyList<int> Apply(SqliteConnection connection, long nowMicros)
    {
        Execute(connection, "PRAGMA journal_mode = WAL;");
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS schema_version (
                version     INTEGER NOT NULL PRIMARY KEY,
                description TEXT    NOT NULL,
                applied_at  INTEGER NOT NULL
            );
            """);
        var current = GetVersion(connection);
        if (current > Latest)
        {
            throw new InvalidOperationException(
                $"The metadata database is at schema version {current}, newer than this build knows ({Latest}); run a newer Storage.Service.");
        }
        var applied = new List<int>();
        foreach (var migration in All.Where(m => m.Version > current))
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, migration.Sql, transaction);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_version (version, description, applied_at) VALUES ($v, $d, $t);";
            record.Parameters.AddWithValue("$v", migration.Version);
            record.Parameters.AddWithValue("$d", migration.Description);
            record.Parameters.AddWithValue("$t", nowMicros);
            record.ExecuteNonQuery();
            transaction.Commit();
            applied.Add(migration.Version);
        }
        return applied;
    }

    public static int GetVersion(SqliteConnection connection)
    {
        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version';";
        if ((long)exists.ExecuteScalar()! == 0)
        {
            return 0;
        }
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(version), 0) FROM schema_version;";
        return (int)(long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
