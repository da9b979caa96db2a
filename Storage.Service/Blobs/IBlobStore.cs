namespace Storage.Service.Blobs;

/// <summary>Immutable blobs named by the lower-case hex SHA-256 of their bytes.</summary>
public interface IBlobStore
{
    /// <summary>
    /// Stores <paramref name="data"/> under <paramref name="sha256"/> durably (synced and atomically in place when this
    /// returns). Returns false when the blob already existed and nothing was written.
    /// </summary>
    Task<bool> WriteAsync(string sha256, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Whether the blob exists.</summary>
    bool Exists(string sha256);

    /// <summary>Opens the blob for reading (seekable); null when it does not exist.</summary>
    Stream? OpenRead(string sha256);

    /// <summary>Removes the blob; false when it was not there.</summary>
    bool Delete(string sha256);

    /// <summary>Every stored blob name.</summary>
    IEnumerable<string> EnumerateBlobs();

    /// <summary>Removes writes a crash left unfinished; returns how many.</summary>
    int DeleteUnfinishedWrites();
}
