using Storage.Service.Metadata;

namespace Storage.Service.Blobs;

/// <summary>
/// Striped locks by blob name. A put holds its blob's stripe from the existence check to the metadata commit, and
/// a delete from the reference check to the file removal, so a blob is never removed under a put that counts on it.
/// The stripes are held in this process and, through the metadata store, in every process sharing it
/// (<see cref="IMetadataStore.LockBlobStripesAsync"/>: storage replicas on one PostgreSQL database and one bucket).
/// </summary>
public sealed class BlobLocks(IMetadataStore metadata) : IDisposable
{
    private const int StripeCount = 64;
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, StripeCount).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>
    /// Locks the stripes of every blob in <paramref name="sha256s"/>, in a fixed order (no deadlock): here, then across
    /// processes.
    /// </summary>
    public async Task<IAsyncDisposable> LockAsync(IEnumerable<string> sha256s, CancellationToken cancellationToken)
    {
        var indexes = sha256s.Select(StripeOf).Distinct().Order().ToArray();
        var taken = new List<SemaphoreSlim>(indexes.Length);
        try
        {
            foreach (var index in indexes)
            {
                await _stripes[index].WaitAsync(cancellationToken);
                taken.Add(_stripes[index]);
            }
            return new Releaser(taken, await metadata.LockBlobStripesAsync(indexes, cancellationToken));
        }
        catch
        {
            Release(taken);
            throw;
        }
    }

    /// <summary>Locks the stripe of one blob.</summary>
    public Task<IAsyncDisposable> LockAsync(string sha256, CancellationToken cancellationToken) => LockAsync([sha256], cancellationToken);

    public void Dispose()
    {
        foreach (var stripe in _stripes)
        {
            stripe.Dispose();
        }
    }

    private static int StripeOf(string sha256) => Convert.ToInt32(sha256[..2], 16) % StripeCount;

    private static void Release(List<SemaphoreSlim> taken)
    {
        for (var i = taken.Count - 1; i >= 0; i--)
        {
            taken[i].Release();
        }
    }

    private sealed class Releaser(List<SemaphoreSlim> taken, IAsyncDisposable acrossProcesses) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                try
                {
                    await acrossProcesses.DisposeAsync();
                }
                finally
                {
                    Release(taken);
                }
            }
        }
    }
}
