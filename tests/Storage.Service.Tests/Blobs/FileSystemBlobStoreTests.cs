using Storage.Service.Blobs;
using Storage.Service.Configuration;
using Storage.Service.Tests.TestSupport;

namespace Storage.Service.Tests.Blobs;

/// <summary>The shared blob store behaviour on files, and what only files do: temp files, shard folders, crash leftovers.</summary>
public sealed class FileSystemBlobStoreTests : BlobStoreBehaviourTests
{
    private readonly TempDirectory _data = new();

    protected override IBlobStore CreateStore() =>
        new FileSystemBlobStore(new StorageOptions { BlobRoot = _data.Path, DatabasePath = Path.Combine(_data.Path, "unused.db") });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task WriteAsync_NewBlob_StoredInShardFolderAndNoTempLeft()
    {
        var bytes = TestImages.Png();
        var sha = Requests.Sha256(bytes);

        var written = await Store.WriteAsync(sha, bytes, CancellationToken.None).DefaultTimeout();

        Assert.True(written);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(_data.Path, sha[..2], sha)).DefaultTimeout());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_data.Path, ".tmp")));
        Assert.Equal([sha], await Store.EnumerateBlobsAsync(CancellationToken.None).ToListAsync().AsTask().DefaultTimeout());
    }

    [Fact]
    public async Task DeleteUnfinishedWritesAsync_TempFilesPresent_RemovesThem()
    {
        File.WriteAllBytes(Path.Combine(_data.Path, ".tmp", "abc.tmp"), [1, 2, 3]);
        File.WriteAllBytes(Path.Combine(_data.Path, ".tmp", "def.tmp"), [4]);

        Assert.Equal(2, await Store.DeleteUnfinishedWritesAsync(CancellationToken.None).DefaultTimeout());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_data.Path, ".tmp")));
    }

    [Fact]
    public async Task EnumerateBlobsAsync_ForeignFiles_Ignored()
    {
        Directory.CreateDirectory(Path.Combine(_data.Path, "zz"));
        File.WriteAllBytes(Path.Combine(_data.Path, "zz", "notes.txt"), [1]);
        File.WriteAllBytes(Path.Combine(_data.Path, "README"), [1]);

        Assert.Empty(await Store.EnumerateBlobsAsync(CancellationToken.None).ToListAsync().AsTask().DefaultTimeout());
    }

    [Fact]
    public async Task CheckHealthAsync_BlobRootRemoved_NamesTheMissingFolder()
    {
        Directory.Delete(_data.Path, recursive: true);

        Assert.Equal($"blob root {_data.Path} is missing", await Store.CheckHealthAsync(CancellationToken.None).DefaultTimeout());
    }
}
