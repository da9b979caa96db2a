using System.Collections.Concurrent;
using Npgsql;

namespace Gateway.RateLimiting;

/// <summary>
/// Per-key limits shared by every gateway on one PostgreSQL database (<c>Gateway:RateLimits:Store</c> = <c>Postgres</c>):
/// each key's fixed window of requests is one row, counted atomically by whichever gateway the request reached; each
/// running generation holds a lease row that its gateway renews while it runs (<see cref="LeaseTimeToLive"/>), so the
/// generations of a gateway that died stop counting once their leases lapse. Times are the database's clock, the one
/// clock every gateway shares.
/// </summary>
internal sealed class PostgresLimitStore(NpgsqlDataSource database)
{
    /// <summary>How long a generation's lease counts without being renewed.</summary>
    public static readonly TimeSpan LeaseTimeToLive = TimeSpan.FromSeconds(60);

    /// <summary>How often a gateway renews the leases it holds.</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(20);

    private const string Schema = """
        SELECT pg_advisory_xact_lock(7264501);
        CREATE TABLE IF NOT EXISTS gateway_request_windows (
            key_hash text PRIMARY KEY,
            window_end timestamptz NOT NULL,
            used bigint NOT NULL);
        CREATE TABLE IF NOT EXISTS gateway_stream_leases (
            lease_id uuid PRIMARY KEY,
            key_hash text NOT NULL,
            expires_at timestamptz NOT NULL);
        CREATE INDEX IF NOT EXISTS gateway_stream_leases_key ON gateway_stream_leases (key_hash);
        CREATE OR REPLACE FUNCTION gateway_lease_stream(p_key text, p_limit int, p_lease uuid, p_ttl interval) RETURNS boolean
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtextextended(p_key, 0));
            DELETE FROM gateway_stream_leases WHERE key_hash = p_key AND expires_at < clock_timestamp();
            IF (SELECT count(*) FROM gateway_stream_leases WHERE key_hash = p_key) >= p_limit THEN
                RETURN false;
            END IF;
            INSERT INTO gateway_stream_leases (lease_id, key_hash, expires_at) VALUES (p_lease, p_key, clock_timestamp() + p_ttl);
            RETURN true;
        END $$;
        """;

    // The first request after a window ended opens the next; a refusal still counts, so "used > limit" means refused.
    private const string TakeRequest = """
        INSERT INTO gateway_request_windows AS w (key_hash, window_end, used)
        VALUES (@key, clock_timestamp() + @window, 1)
        ON CONFLICT (key_hash) DO UPDATE SET
            used = CASE WHEN w.window_end <= clock_timestamp() THEN 1 ELSE w.used + 1 END,
            window_end = CASE WHEN w.window_end <= clock_timestamp() THEN clock_timestamp() + @window ELSE w.window_end END
        RETURNING used, GREATEST(EXTRACT(EPOCH FROM (window_end - clock_timestamp())), 0)::float8;
        """;

    private readonly ConcurrentDictionary<Guid, byte> _held = new();

    /// <summary>Creates the tables and the lease function when missing (safe when several gateways start at once).</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(Schema, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Counts one request of <paramref name="keyHash"/>; null when it fits the window, else the time until the window ends.</summary>
    public async Task<TimeSpan?> TakeRequestAsync(string keyHash, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(TakeRequest);
        command.Parameters.AddWithValue("key", keyHash);
        command.Parameters.AddWithValue("window", window);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var used = reader.GetInt64(0);
        return used <= limit ? null : TimeSpan.FromSeconds(reader.GetDouble(1));
    }

    /// <summary>A lease on one of <paramref name="limit"/> concurrent generations of <paramref name="keyHash"/>; null when all are taken.</summary>
    public async Task<Guid?> LeaseStreamAsync(string keyHash, int limit, CancellationToken cancellationToken)
    {
        var lease = Guid.NewGuid();
        await using var command = database.CreateCommand("SELECT gateway_lease_stream(@key, @limit, @lease, @ttl)");
        command.Parameters.AddWithValue("key", keyHash);
        command.Parameters.AddWithValue("limit", limit);
        command.Parameters.AddWithValue("lease", lease);
        command.Parameters.AddWithValue("ttl", LeaseTimeToLive);
        if (await command.ExecuteScalarAsync(cancellationToken) is not true)
        {
            return null;
        }
        _held.TryAdd(lease, 0);
        return lease;
    }

    /// <summary>Ends a generation's lease.</summary>
    public async Task ReleaseAsync(Guid lease)
    {
        _held.TryRemove(lease, out _);
        await using var command = database.CreateCommand("DELETE FROM gateway_stream_leases WHERE lease_id = @lease");
        command.Parameters.AddWithValue("lease", lease);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>Extends every lease this gateway holds by <see cref="LeaseTimeToLive"/>; returns how many.</summary>
    public async Task<int> RenewAsync(CancellationToken cancellationToken)
    {
        var held = _held.Keys.ToArray();
        if (held.Length == 0)
        {
            return 0;
        }
        await using var command = database.CreateCommand("UPDATE gateway_stream_leases SET expires_at = clock_timestamp() + @ttl WHERE lease_id = ANY(@leases)");
        command.Parameters.AddWithValue("ttl", LeaseTimeToLive);
        command.Parameters.AddWithValue("leases", held);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
