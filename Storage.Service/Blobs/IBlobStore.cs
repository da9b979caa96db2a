namespace Storage.Service.Blobs;

/// <summary>
/// Immutable blobs named by the lower-case hex SHA-256 of their bytes. Asynchronous wherever the bytes may live on
/// another machine (<see cref="S3BlobStore"/>); <see cref="FileSystemBlobStore"/> completes most calls synchronously.
/// </summary>
public interface IBlobStore
{
    /// <summary>Where the blobs live, for logs: a folder, or "s3://bucket/prefix at endpoint". Never a credential.</summary>
    string Location { get; }

    /// <summary>Prepares the store before the first call (creates the bucket when it is missing). Idempotent.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="data"/> under <paramref name="sha256"/> durably (synced and atomically in place when this
    /// returns). Returns false when the blob already existed and nothing was written.
    /// </summary>
    Task<bool> WriteAsync(string sha256, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Whether the blob exists.</summary>
    Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken);

    /// <summary>Opens the blob for reading (seekable, with a known length); null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string sha256, CancellationToken cancellationToken);

    /// <summary>Removes the blob; false when it was not there.</summary>
    Task<bool> DeleteAsync(string sha256, CancellationToken cancellationToken);

    /// <summary>Every stored blob name.</summary>
    IAsyncEnumerable<string> EnumerateBlobsAsync(CancellationToken cancellationToken);

    /// <summary>Removes writes a crash left unfinished; returns how many.</summary>
    Task<int> DeleteUnfinishedWritesAsync(CancellationToken cancellationToken);

    /// <summary>Null when the store can serve; otherwise what is wrong, for the health check.</summary>
    Task<string?> CheckHealthAsync(CancellationToken cancellationToken);
}
