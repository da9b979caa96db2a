namespace Storage.Service.Metadata;

public sealed partial class SqliteMetadataStore
{
    /// <summary>One process owns a SQLite database: the in-process stripes of <see cref="Blobs.BlobLocks"/> are the whole lock.</summary>
    public Task<IAsyncDisposable> LockBlobStripesAsync(IReadOnlyList<int> stripes, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
