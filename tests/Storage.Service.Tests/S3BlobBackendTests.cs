using System.Net;
using System.Net.Http.Headers;
using Amazon.S3.Model;
using Storage.Service.Tests.TestSupport;

namespace Storage.Service.Tests;

/// <summary>The whole service with <c>Storage:BlobBackend=S3</c> on a real s3rver: the edges see no difference, the bucket holds the bytes.</summary>
public sealed class S3BlobBackendTests : IAsyncLifetime
{
    private S3Server server = null!;

    public async ValueTask InitializeAsync() => server = await SharedServer<S3Server>.GetAsync().WithTimeout(TestTimeouts.ServerStart);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task PutImageOverGrpc_ReadOverHttpWholeAndRanged_BytesComeFromTheBucket()
    {
        await using var host = await StorageHost.StartAsync(StorageBackend.SqliteWithS3);
        var png = TestImages.Png();
        var sha = Requests.Sha256(png);

        await host.Client.PutImageAsync(Requests.Put("s3", 0, png), Requests.Timeout).ResponseAsync.DefaultTimeout();

        using var whole = await host.HttpClient.GetAsync("/images/s3-0").DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(png, await whole.Content.ReadAsByteArrayAsync().DefaultTimeout());
        using var rangeRequest = new HttpRequestMessage(HttpMethod.Get, "/images/s3-0") { Headers = { Range = new RangeHeaderValue(10, 29) } };
        using var ranged = await host.HttpClient.SendAsync(rangeRequest).DefaultTimeout();
        Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
        Assert.Equal(png[10..30], await ranged.Content.ReadAsByteArrayAsync().DefaultTimeout());
        var (_, streamed, _) = await Requests.ReadImageAsync(host.Client, "s3-0").DefaultTimeout();
        Assert.Equal(png, streamed);

        using var client = server.CreateClient();
        var listing = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = host.Bucket }).DefaultTimeout();
        Assert.Equal($"blobs/{sha[..2]}/{sha}", Assert.Single(listing.S3Objects).Key);
        Assert.False(Directory.Exists(Path.Combine(host.BlobRoot, sha[..2])), "no blob file should be written next to the database");
        Assert.Equal("Healthy", await host.HttpClient.GetStringAsync("/health").DefaultTimeout());
    }

    [Fact]
    public async Task DeleteRun_OnlyReferenceToTheBlob_ObjectRemovedFromTheBucket()
    {
        await using var host = await StorageHost.StartAsync(StorageBackend.SqliteWithS3);
        await host.Client.PutImageAsync(Requests.Put("gone", 0, TestImages.Png()), Requests.Timeout).ResponseAsync.DefaultTimeout();

        var deleted = await host.Client.DeleteRunAsync(new() { RunId = "gone" }, Requests.Timeout).ResponseAsync.DefaultTimeout();

        Assert.Equal((1, 1), (deleted.ImagesDeleted, deleted.BlobsDeleted));
        using var client = server.CreateClient();
        var listing = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = host.Bucket }).DefaultTimeout();
        Assert.Empty(listing.S3Objects ?? []);
    }

    [Fact]
    public async Task Start_ObjectNoImageReferences_SweptFromTheBucket()
    {
        var bucket = S3Server.NewBucketName();
        var orphan = Requests.Sha256([1, 2, 3]);
        using (var client = server.CreateClient())
        {
            await client.PutBucketAsync(bucket).DefaultTimeout();
            await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"blobs/{orphan[..2]}/{orphan}", InputStream = new MemoryStream([1, 2, 3]) }).DefaultTimeout();
        }

        await using var host = await StorageHost.StartAsync(StorageBackend.SqliteWithS3, new Dictionary<string, string?> { ["Storage:S3:Bucket"] = bucket });

        Assert.Contains(host.Logs, e => e.EventName == "OrphanBlobsRemoved" && e.Message.StartsWith("Removed 1 orphan", StringComparison.Ordinal));
        using var check = server.CreateClient();
        var listing = await check.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }).DefaultTimeout();
        Assert.Empty(listing.S3Objects ?? []);
    }
}
