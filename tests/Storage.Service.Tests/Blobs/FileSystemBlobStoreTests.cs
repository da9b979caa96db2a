using Storage.Service.Blobs;
using Storage.Service.Configuration;
using Storage.Service.Tests.TestSupport;

namespace Storage.Service.Tests.Blobs;

public sealed class FileSystemBlobStoreTests
{
    [Fact]
    public async Task WriteAsync_NewBlob_StoredInShardFolderAndNoTempLeft()
    {
        using var data = new TempDirectory();
        var store = CreateStore(data.Path);
        var bytes = TestImages.Png();
        var sha = Requests.Sha256(bytes);

        var written = await store.WriteAsync(sha, bytes, CancellationToken.None).DefaultTimeout();

        Assert.True(written);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(data.Path, sha[..2], sha)).DefaultTimeout());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(data.Path, ".tmp")));
        Assert.Equal([sha], store.EnumerateBlobs());
    }

    [Fact]
    public async Task WriteAsync_ExistingBlob_ReturnsFalseAndKeepsFile()
    {
        using var data = new TempDirectory();
        var store = CreateStore(data.Path);
        var bytes = TestImages.Png();
        var sha = Requests.Sha256(bytes);
        await store.WriteAsync(sha, bytes, CancellationToken.None).DefaultTimeout();

        Assert.False(await store.WriteAsync(sha, bytes, CancellationToken.None).DefaultTimeout());
        Assert.True(store.Exists(sha));
    }

    [Fact]
    public void DeleteUnfinishedWrites_TempFilesPresent_RemovesThem()
    {
        using var data = new TempDirectory();
        var store = CreateStore(data.Path);
        File.WriteAllBytes(Path.Combine(data.Path, ".tmp", "abc.tmp"), [1, 2, 3]);
        File.WriteAllBytes(Path.Combine(data.Path, ".tmp", "def.tmp"), [4]);

        Assert.Equal(2, store.DeleteUnfinishedWrites());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(data.Path, ".tmp")));
    }

    [Fact]
    public void EnumerateBlobs_ForeignFiles_Ignored()
    {
        using var data = new TempDirectory();
        var store = CreateStore(data.Path);
        Directory.CreateDirectory(Path.Combine(data.Path, "zz"));
        File.WriteAllBytes(Path.Combine(data.Path, "zz", "notes.txt"), [1]);
        File.WriteAllBytes(Path.Combine(data.Path, "README"), [1]);

        Assert.Empty(store.EnumerateBlobs());
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("ABCDEF")]
    public void OpenRead_NotASha256_Throws(string name)
    {
        using var data = new TempDirectory();
        var store = CreateStore(data.Path);

        Assert.Throws<ArgumentException>(() => store.OpenRead(name));
    }

    private static FileSystemBlobStore CreateStore(string root) =>
        new(new StorageOptions { BlobRoot = root, DatabasePath = Path.Combine(root, "unused.db") });
}
