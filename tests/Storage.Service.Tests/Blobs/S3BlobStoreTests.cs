using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Storage.Service.Blobs;
using Storage.Service.Configuration;

namespace Storage.Service.Tests.Blobs;

/// <summary>The shared blob store behaviour on a real S3-compatible server (s3rver), a fresh bucket per test, and what only S3 does.</summary>
public sealed class S3BlobStoreTests : BlobStoreBehaviourTests
{
    private S3Server server = null!;

    private readonly string _bucket = S3Server.NewBucketName();

    public override async ValueTask InitializeAsync()
    {
        server = await SharedServer<S3Server>.GetAsync().WithTimeout(TestTimeouts.ServerStart);
        await base.InitializeAsync();
    }

    protected override IBlobStore CreateStore() => new S3BlobStore(Options(_bucket), NullLogger<S3BlobStore>.Instance);

    [Fact]
    public async Task WriteAsync_NewBlob_OneObjectUnderItsShardKeyHoldingExactlyTheBytes()
    {
        var (sha, bytes) = Blob(20, 5_000);

        await Store.WriteAsync(sha, bytes, CancellationToken.None).DefaultTimeout();

        using var client = server.CreateClient();
        var listing = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket }).DefaultTimeout();
        Assert.Equal($"blobs/{sha[..2]}/{sha}", Assert.Single(listing.S3Objects).Key);
        using var response = await client.GetObjectAsync(_bucket, $"blobs/{sha[..2]}/{sha}").DefaultTimeout();
        using var stored = new MemoryStream();
        await response.ResponseStream.CopyToAsync(stored).DefaultTimeout();
        Assert.Equal(bytes, stored.ToArray());
    }

    [Fact]
    public async Task WriteAsync_BytesDoNotMatchTheirName_RefusedBeforeUploadAndNothingStored()
    {
        var (sha, bytes) = Blob(21, 2_000);
        var corrupted = (byte[])bytes.Clone();
        corrupted[1_000] ^= 0x01;

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Store.WriteAsync(sha, corrupted, CancellationToken.None)).DefaultTimeout();

        Assert.Contains(sha, error.Message, StringComparison.Ordinal);
        Assert.False(await Store.ExistsAsync(sha, CancellationToken.None).DefaultTimeout());
        Assert.Empty(await Store.EnumerateBlobsAsync(CancellationToken.None).ToListAsync().AsTask().DefaultTimeout());
    }

    [Fact]
    public async Task EnumerateBlobsAsync_ForeignObjectsInBucket_Ignored()
    {
        var (sha, _) = Blob(22, 10);
        using var client = server.CreateClient();
        foreach (var key in new[] { "README", "blobs/zz/notes.txt", $"blobs/{sha}", $"blobs/00/{sha}", $"other/{sha[..2]}/{sha}" })
        {
            await client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = "x" }).DefaultTimeout();
        }

        Assert.Empty(await Store.EnumerateBlobsAsync(CancellationToken.None).ToListAsync().AsTask().DefaultTimeout());
    }

    [Fact]
    public async Task EnumerateBlobsAsync_ListingSpansSeveralPages_ListsEveryBlobOnce()
    {
        var blobs = Enumerable.Range(100, 5).Select(seed => Blob(seed, 8)).ToList();
        foreach (var (sha, bytes) in blobs)
        {
            await Store.WriteAsync(sha, bytes, CancellationToken.None).DefaultTimeout();
        }
        ((S3BlobStore)Store).ListPageSize = 2;

        var listed = await Store.EnumerateBlobsAsync(CancellationToken.None).ToListAsync().AsTask().DefaultTimeout();

        Assert.Equal(blobs.Select(b => b.Sha256).Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task InitializeAsync_BucketMissing_CreatesIt()
    {
        var bucket = S3Server.NewBucketName();
        using var store = new S3BlobStore(Options(bucket), NullLogger<S3BlobStore>.Instance);
        Assert.Equal($"bucket {bucket} at {server.ServiceUrl} does not exist", await store.CheckHealthAsync(CancellationToken.None).DefaultTimeout());

        await store.InitializeAsync(CancellationToken.None).DefaultTimeout();
        await store.InitializeAsync(CancellationToken.None).DefaultTimeout();

        Assert.Null(await store.CheckHealthAsync(CancellationToken.None).DefaultTimeout());
    }

    private S3BlobOptions Options(string bucket) => new()
    {
        Bucket = bucket,
        ServiceUrl = server.ServiceUrl,
        ForcePathStyle = true,
        AccessKey = S3Server.AccessKey,
        SecretKey = S3Server.SecretKey,
    };
}
