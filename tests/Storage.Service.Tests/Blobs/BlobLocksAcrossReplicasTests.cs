using Npgsql;
using Pipeline.Contracts.Storage.V1;
using Storage.Service.Tests.TestSupport;

namespace Storage.Service.Tests.Blobs;

/// <summary>
/// Two storage replicas on one PostgreSQL database and one bucket: a blob's lock is held across them, so a delete or a
/// start-up sweep on one never removes a blob that a put on the other has just counted on.
/// </summary>
public sealed class BlobLocksAcrossReplicasTests
{
    /// <summary>The advisory lock space of blob stripes (<c>PostgresMetadataStore.BlobLockSpace</c>, "PPLB").</summary>
    private const long BlobLockSpace = 0x50504C42;

    [Fact]
    public async Task DeleteOnOneReplica_WhileThePutOfTheSameBytesOnAnotherCommits_TheBlobIsKept()
    {
        await using var first = await StorageHost.StartAsync(StorageBackend.Postgres);
        await using var second = await StorageHost.StartReplicaAsync(first, new Dictionary<string, string?>
        {
            ["Storage:FaultInjection:PauseBeforeMetadataCommit"] = "00:00:01.500",
        });
        var png = TestImages.Png(seed: 9);
        await first.Client.PutImageAsync(Requests.Put("old", 0, png), Requests.Timeout).ResponseAsync.DefaultTimeout();

        // The second replica finds the blob already there and counts on it; it holds the blob's lock until its row commits.
        var put = second.Client.PutImageAsync(Requests.Put("new", 0, png), Requests.Timeout).ResponseAsync;
        await WaitForBlobLockHeldAsync(first);
        await first.Client.DeleteRunAsync(new DeleteRunRequest { RunId = "old" }, Requests.Timeout).ResponseAsync.DefaultTimeout();
        await put.DefaultTimeout();

        Assert.Equal(png, (await Requests.ReadImageAsync(first.Client, "new-0").DefaultTimeout()).Bytes);
        Assert.Equal([Requests.Sha256(png)], await Requests.AssertBlobsMatchRowsAsync(first));
    }

    [Fact]
    public async Task ReplicaStarting_WhileAPutOnAnotherCommits_ItsSweepLeavesThatBlob()
    {
        await using var first = await StorageHost.StartAsync(StorageBackend.Postgres, new Dictionary<string, string?>
        {
            ["Storage:FaultInjection:PauseBeforeMetadataCommit"] = "00:00:02",
        });
        var png = TestImages.Png(seed: 10);

        // The blob is in the bucket, its row not yet committed: to a sweep it looks like an orphan.
        var put = first.Client.PutImageAsync(Requests.Put("fresh", 0, png), Requests.Timeout).ResponseAsync;
        await WaitForBlobLockHeldAsync(first);
        await using var second = await StorageHost.StartReplicaAsync(first);
        await put.DefaultTimeout();

        Assert.Equal(png, (await Requests.ReadImageAsync(second.Client, "fresh-0").DefaultTimeout()).Bytes);
        Assert.Equal([Requests.Sha256(png)], await Requests.AssertBlobsMatchRowsAsync(second));
    }

    /// <summary>Until some process holds a blob stripe's advisory lock on the hosts' database.</summary>
    private static async Task WaitForBlobLockHeldAsync(StorageHost host)
    {
        await using var connection = new NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync().DefaultTimeout();
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (true)
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = @space", connection);
            command.Parameters.AddWithValue("space", BlobLockSpace);
            if ((long)(await command.ExecuteScalarAsync().DefaultTimeout())! > 0)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "no replica took a blob lock");
            await Task.Delay(20);
        }
    }
}
