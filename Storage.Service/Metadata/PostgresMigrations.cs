using Npgsql;

namespace Storage.Service.Metadata;

/// <summary>
/// The PostgreSQL schema as numbered migrations, applied in order at start-up, each in its own transaction together with
/// its row in <c>schema_version</c>. Every transaction first takes one advisory lock, so replicas starting together
/// apply each version once and the others wait, then find it applied. Append new migrations; never edit an applied one.
/// </summary>
/// <remarks>
/// The schema is the SQLite one (<see cref="SqliteMigrations"/>) at its latest version. Ids compare byte by byte
/// (<c>COLLATE "C"</c>), as in SQLite, so run listings page in the same order whatever the database's locale.
/// </remarks>
internal static class PostgresMigrations
{
    /// <summary>The advisory lock every migration transaction holds (two-key space: no clash with the per-run locks).</summary>
    private const int LockSpace = 0x50504C4E; // "PPLN"
    private const int MigrationLock = 1;

    public sealed record Migration(int Version, string Description, string Sql);

    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "runs and images", """
            CREATE TABLE runs (
                run_id              text    COLLATE "C" NOT NULL PRIMARY KEY,
                config              text    COLLATE "C" NOT NULL DEFAULT '',
                mode                text    NOT NULL DEFAULT '',
                provider            text    NOT NULL DEFAULT '',
                model               text    NOT NULL DEFAULT '',
                operation           text    NOT NULL DEFAULT '',
                prompt              text    NOT NULL DEFAULT '',
                revised_prompt      text    NOT NULL DEFAULT '',
                parameters_json     text    NULL,
                seed                bigint  NULL,
                state               integer NOT NULL DEFAULT 0,
                created_at          bigint  NOT NULL,
                started_at          bigint  NULL,
                completed_at        bigint  NULL,
                usage_json          text    NULL,
                cost_usd_micros     bigint  NOT NULL DEFAULT 0,
                trace_id            text    NOT NULL DEFAULT '',
                error               text    NOT NULL DEFAULT '',
                tenant              text    COLLATE "C" NOT NULL DEFAULT '',
                request_digest_json text    NULL,
                attempts_json       text    NULL,
                cost_known          boolean NULL,
                parent_run_id       text    NOT NULL DEFAULT '',
                local               boolean NOT NULL DEFAULT false,
                updated_at          bigint  NOT NULL
            );
            CREATE INDEX ix_runs_created ON runs (created_at DESC, run_id DESC);
            CREATE INDEX ix_runs_config_created ON runs (config, created_at DESC, run_id DESC);
            CREATE INDEX ix_runs_tenant_created ON runs (tenant, created_at DESC, run_id DESC);

            CREATE TABLE images (
                image_id        text    COLLATE "C" NOT NULL PRIMARY KEY,
                run_id          text    COLLATE "C" NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
                image_index     integer NOT NULL,
                sha256          text    COLLATE "C" NOT NULL,
                mime_type       text    NOT NULL,
                width           integer NOT NULL,
                height          integer NOT NULL,
                size_bytes      bigint  NOT NULL,
                created_at      bigint  NOT NULL,
                source_image_id text    COLLATE "C" NULL,
                grid_row        integer NOT NULL DEFAULT 0,
                grid_column     integer NOT NULL DEFAULT 0,
                UNIQUE (run_id, image_index)
            );
            CREATE INDEX ix_images_sha256 ON images (sha256);
            CREATE INDEX ix_images_source ON images (source_image_id) WHERE source_image_id IS NOT NULL;
            """),
    ];

    public static int Latest => All[^1].Version;

    /// <summary>Brings the database to <see cref="Latest"/>; returns the versions this call applied (none when another replica did).</summary>
    public static async Task<IReadOnlyList<int>> ApplyAsync(NpgsqlDataSource dataSource, long nowMicros, CancellationToken cancellationToken)
    {
        var applied = new List<int>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({LockSpace}, {MigrationLock});", cancellationToken);
            await ExecuteAsync(connection, transaction, """
                CREATE TABLE IF NOT EXISTS schema_version (
                    version     integer NOT NULL PRIMARY KEY,
                    description text    NOT NULL,
                    applied_at  bigint  NOT NULL
                );
                """, cancellationToken);
            var current = await ReadVersionAsync(connection, transaction, cancellationToken);
            if (current > Latest)
            {
                throw new InvalidOperationException(
                    $"The metadata database is at schema version {current}, newer than this build knows ({Latest}); run a newer Storage.Service.");
            }
            var next = All.FirstOrDefault(m => m.Version > current);
            if (next is null)
            {
                await transaction.CommitAsync(cancellationToken);
                return applied;
            }
            await ExecuteAsync(connection, transaction, next.Sql, cancellationToken);
            await using (var record = new NpgsqlCommand(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (@v, @d, @t);", connection, transaction))
            {
                record.Parameters.AddWithValue("v", next.Version);
                record.Parameters.AddWithValue("d", next.Description);
                record.Parameters.AddWithValue("t", nowMicros);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            applied.Add(next.Version);
        }
    }

    /// <summary>The applied version; 0 before the first migration.</summary>
    public static async Task<int> GetVersionAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('schema_version') IS NOT NULL;", connection);
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
        {
            return 0;
        }
        return await ReadVersionAsync(connection, null, cancellationToken);
    }

    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version;", connection, transaction);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
