using Pipeline.ServiceDefaults;
using Storage.Service.Configuration;
using Storage.Service.Validation;

namespace Storage.Service.Blobs;

/// <summary>
/// Blobs as files "{root}/ab/abcdef…" (sharded by the first two hex digits). A write goes to "{root}/.tmp/", is
/// flushed to disk, renamed into place (atomic on one file system) and the shard folder is synced, so a blob file
/// is either complete or absent, whatever the moment the process dies.
/// </summary>
public sealed class FileSystemBlobStore : IBlobStore
{
    private const string TempFolderName = ".tmp";
    private readonly string _root;
    private readonly string _tempRoot;
    private readonly StorageOptions _options;

    public FileSystemBlobStore(StorageOptions options)
    {
        _options = options;
        _root = options.BlobRoot;
        _tempRoot = Path.Combine(_root, TempFolderName);
        Directory.CreateDirectory(_tempRoot);
    }

    public async Task<bool> WriteAsync(string sha256, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var path = GetPath(sha256);
        if (File.Exists(path))
        {
            return false;
        }
        var shard = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(shard);
        var tempPath = Path.Combine(_tempRoot, $"{sha256}.{Guid.NewGuid():N}.tmp");
        try
        {
            // The write is not cancelled half way: a caller that goes away leaves a complete blob or none.
            await using (var stream = new FileStream(tempPath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
                PreallocationSize = data.Length,
            }))
            {
                await stream.WriteAsync(data, CancellationToken.None);
                stream.Flush(flushToDisk: true);
            }
            if (_options.FaultInjection.PauseAfterTempWrite is { } pause)
            {
                await Task.Delay(pause, CancellationToken.None);
            }
            cancellationToken.ThrowIfCancellationRequested();
            File.Move(tempPath, path, overwrite: true);
            DirectorySync.Flush(shard);
            return true;
        }
        finally
        {
            TryDelete(tempPath);
        }
    }

    public string Location => _root;

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken) => Task.FromResult(File.Exists(GetPath(sha256)));

    public Task<Stream?> OpenReadAsync(string sha256, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult<Stream?>(new FileStream(GetPath(sha256), new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            }));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<bool> DeleteAsync(string sha256, CancellationToken cancellationToken)
    {
        var path = GetPath(sha256);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }
        File.Delete(path);
        DirectorySync.Flush(Path.GetDirectoryName(path)!);
        return Task.FromResult(true);
    }

    public IAsyncEnumerable<string> EnumerateBlobsAsync(CancellationToken cancellationToken) =>
        EnumerateBlobs(cancellationToken).ToAsyncEnumerable();

    public Task<int> DeleteUnfinishedWritesAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(_tempRoot))
        {
            File.Delete(file);
            count++;
        }
        return Task.FromResult(count);
    }

    public Task<string?> CheckHealthAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Directory.Exists(_root) ? null : $"blob root {_root} is missing");

    private IEnumerable<string> EnumerateBlobs(CancellationToken cancellationToken)
    {
        foreach (var shard in Directory.EnumerateDirectories(_root))
        {
            var shardName = Path.GetFileName(shard);
            if (shardName.Length != 2 || !Ids.IsSha256Hex(shardName + new string('0', 62)))
            {
                continue;
            }
            foreach (var file in Directory.EnumerateFiles(shard))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = Path.GetFileName(file);
                if (Ids.IsSha256Hex(name) && name.StartsWith(shardName, StringComparison.Ordinal))
                {
                    yield return name;
                }
            }
        }
    }

    /// <summary>The file of a blob. Only a validated SHA-256 hex string ever becomes a path.</summary>
    internal string GetPath(string sha256)
    {
        if (!Ids.IsSha256Hex(sha256))
        {
            throw new ArgumentException($"'{sha256}' is not a lower-case hex SHA-256", nameof(sha256));
        }
        return Path.Combine(_root, sha256[..2], sha256);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for the start-up sweep of ".tmp".
        }
    }
}
