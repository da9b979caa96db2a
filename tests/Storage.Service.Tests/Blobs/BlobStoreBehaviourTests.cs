using System.Security.Cryptography;
using Storage.Service.Blobs;
using Storage.Service.Tests.TestSupport;

namespace Storage.Service.Tests.Blobs;

/// <summary>
/// What every <see cref="IBlobStore"/> does, whatever holds the bytes: each derived class runs these facts against
/// its store (<see cref="FileSystemBlobStoreTests"/>, <see cref="S3BlobStoreTests"/>) and adds its backend's own.
/// </summary>
public abstract class BlobStoreBehaviourTests : IAsyncLifetime
{
    private IBlobStore? _store;

    /// <summary>The store under test, empty and initialized.</summary>
    protected IBlobStore Store => _store ?? throw new InvalidOperationException("the store is created in InitializeAsync");

    /// <summary>A new, empty store of the backend under test.</summary>
    protected abstract IBlobStore CreateStore();

    public virtual async ValueTask InitializeAsync()
    {
        _store = CreateStore();
        await _store.InitializeAsync(CancellationToken.None).DefaultTimeout();
    }

    public virtual ValueTask DisposeAsync()
    {
        (_store as IDisposable)?.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task WriteAsync_NewBlob_ReadBackByteForByteUnderItsHash()
    {
        var (sha, bytes) = Blob(1, 40_000);

        Assert.True(await Store.WriteAsync(sha, bytes, CancellationToken.None).DefaultTimeout());

        var read = await ReadAllAsync(sha);
        Assert.Equal(bytes, read);
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(read)));
    }

    [Fact]
    public async Task WriteAsync_SameBlobTwice_SecondReturnsFalseAndContentUnchanged()
    {
        var (sha, bytes) = Blob(2, 1_000);
        await Store.WriteAsync(sha, bytes, CancellationToken.None).DefaultTimeout();

        Assert.False(await Store.WriteAsync(sha, bytes, CancellationToken.None).DefaultTimeout());

        Assert.True(await Store.ExistsAsync(sha, CancellationToken.None).DefaultTimeout());
        Assert.Equal(bytes, await ReadAllAsync(sha));
    }

    [Fact]
    public async Task ExistsAsync_BeforeAndAfterWrite_FalseThenTrue()
    {
        var (sha, bytes) = Blob(3, 10);

        Assert.False(await Store.ExistsAsync(sha, CancellationToken.None).DefaultTimeout());
        await Store.WriteAsync(sha, bytes, CancellationToken.None).DefaultTimeout();
        Assert.True(await Store.ExistsAsync(sha, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task OpenReadAsync_Missing_ReturnsNull()
    {
        var (sha, _) = Blob(4, 10);

        Assert.Null(await Store.OpenReadAsync(sha, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task OpenReadAsync_SeekAnywhere_ReadsThatRangeWithTheLengthKnown()
    {
        var (sha, bytes) = Blob(5, 300_000);
        await Store.WriteAsync(sha, bytes, CancellationToken.None).DefaultTimeout();

        await using var stream = (await Store.OpenReadAsync(sha, CancellationToken.None).DefaultTimeout())!;

        Assert.True(stream.CanSeek);
        Assert.Equal(bytes.Length, stream.Length);
        Assert.Equal(bytes[..100], await ReadExactlyAsync(stream, 100));
        stream.Seek(250_000, SeekOrigin.Begin);
        Assert.Equal(bytes[250_000..250_500], await ReadExactlyAsync(stream, 500));
        stream.Seek(-1_000, SeekOrigin.Current);
        Assert.Equal(249_500, stream.Position);
        Assert.Equal(bytes[249_500..], await ReadExactlyAsync(stream, bytes.Length - 249_500));
        Assert.Equal(0, await stream.ReadAsync(new byte[10]).AsTask().DefaultTimeout());
        stream.Position = 7;
        Assert.Equal(bytes[7..20], await ReadExactlyAsync(stream, 13));
    }

    [Fact]
    public async Task DeleteAsync_StoredBlob_RemovedThenReportsNotThere()
    {
        var (sha, bytes) = Blob(6, 100);
        await Store.WriteAsync(sha, bytes, CancellationToken.None).DefaultTimeout();

        Assert.True(await Store.DeleteAsync(sha, CancellationToken.None).DefaultTimeout());

        Assert.False(await Store.ExistsAsync(sha, CancellationToken.None).DefaultTimeout());
        Assert.Null(await Store.OpenReadAsync(sha, CancellationToken.None).DefaultTimeout());
        Assert.False(await Store.DeleteAsync(sha, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task EnumerateBlobsAsync_SeveralShards_ListsEachStoredBlobOnce()
    {
        var blobs = Enumerable.Range(10, 6).Select(seed => Blob(seed, 50)).ToList();
        foreach (var (sha, bytes) in blobs)
        {
            await Store.WriteAsync(sha, bytes, CancellationToken.None).DefaultTimeout();
        }
        await Store.DeleteAsync(blobs[0].Sha256, CancellationToken.None).DefaultTimeout();

        var listed = await Store.EnumerateBlobsAsync(CancellationToken.None).ToListAsync().AsTask().DefaultTimeout();

        Assert.Equal(blobs.Skip(1).Select(b => b.Sha256).Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DeleteUnfinishedWritesAsync_AfterCompleteWrites_RemovesNothing()
    {
        var (sha, bytes) = Blob(7, 100);
        await Store.WriteAsync(sha, bytes, CancellationToken.None).DefaultTimeout();

        Assert.Equal(0, await Store.DeleteUnfinishedWritesAsync(CancellationToken.None).DefaultTimeout());
        Assert.True(await Store.ExistsAsync(sha, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task CheckHealthAsync_InitializedStore_NoProblem()
    {
        Assert.Null(await Store.CheckHealthAsync(CancellationToken.None).DefaultTimeout());
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("ABCDEF")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    public async Task EveryOperation_NameNotALowerCaseSha256_ThrowsArgumentException(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteAsync(name, new byte[] { 1 }, CancellationToken.None)).DefaultTimeout();
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ExistsAsync(name, CancellationToken.None)).DefaultTimeout();
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync(name, CancellationToken.None)).DefaultTimeout();
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(name, CancellationToken.None)).DefaultTimeout();
    }

    /// <summary>Deterministic bytes for <paramref name="seed"/> and their name.</summary>
    protected static (string Sha256, byte[] Bytes) Blob(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return (Requests.Sha256(bytes), bytes);
    }

    protected async Task<byte[]> ReadAllAsync(string sha256)
    {
        await using var stream = await Store.OpenReadAsync(sha256, CancellationToken.None).DefaultTimeout()
            ?? throw new InvalidOperationException($"blob {sha256} is missing");
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy).DefaultTimeout();
        return copy.ToArray();
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer).AsTask().DefaultTimeout();
        return buffer;
    }
}
