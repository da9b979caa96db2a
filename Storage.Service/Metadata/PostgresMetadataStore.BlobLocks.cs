using Npgsql;

namespace Storage.Service.Metadata;

public sealed partial class PostgresMetadataStore
{
    /// <summary>The advisory lock space of blob stripes (two-key form: no clash with the run locks or the migration lock).</summary>
    private const int BlobLockSpace = 0x50504C42; // "PPLB"

    /// <summary>
    /// Session advisory locks on the stripes, held on a connection of their own until disposed: a put on one replica (from
    /// its existence check to its commit) and a delete or start-up sweep on another (from the reference check to the
    /// removal) never cross, so no replica removes a blob another has just counted on.
    /// </summary>
    public async Task<IAsyncDisposable> LockBlobStripesAsync(IReadOnlyList<int> stripes, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var taken = new List<int>(stripes.Count);
        try
        {
            foreach (var stripe in stripes)
            {
                await AdvisoryAsync(connection, "pg_advisory_lock", stripe, cancellationToken);
                taken.Add(stripe);
            }
            return new StripeLocks(connection, taken);
        }
        catch
        {
            await new StripeLocks(connection, taken).DisposeAsync();
            throw;
        }
    }

    /// <summary>Calls an advisory-lock <paramref name="function"/> on one stripe of the blob lock space.</summary>
    private static async Task AdvisoryAsync(NpgsqlConnection connection, string function, int stripe, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {function}(@space, @stripe)", connection);
        command.Parameters.AddWithValue("space", BlobLockSpace);
        command.Parameters.AddWithValue("stripe", stripe);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Releases the stripes, then returns the connection (a broken connection's locks end with its session).</summary>
    private sealed class StripeLocks(NpgsqlConnection connection, List<int> stripes) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                foreach (var stripe in Enumerable.Reverse(stripes))
                {
                    await AdvisoryAsync(connection, "pg_advisory_unlock", stripe, CancellationToken.None);
                }
            }
            catch (NpgsqlException)
            {
                // The session is gone, and its advisory locks with it.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
