using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Pipeline.Contracts.Storage.V1;
using Storage.Service.Tests.TestSupport;

namespace Storage.Service.Tests.Grpc;

/// <summary>ListRuns: newest first, keyset pages, config filter, stable under concurrent inserts.</summary>
public abstract class StorageGrpcServiceListRunsTests(StorageBackend backend)
{
    private static readonly DateTimeOffset s_base = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ListRuns_SeveralPages_NewestFirstWithoutGapsOrRepeats()
    {
        await using var host = await StorageHost.StartAsync(backend);
        // Two runs share each timestamp, so the run id tie-breaker is exercised too.
        for (var i = 0; i < 23; i++)
        {
            await UpsertAsync(host, $"run-{i:D2}", s_base.AddMinutes(i / 2), i % 3 == 0 ? "x_high" : "x_low");
        }

        var all = await ReadAllPagesAsync(host, pageSize: 5, config: "");
        var filtered = await ReadAllPagesAsync(host, pageSize: 2, config: "x_high");

        Assert.Equal(23, all.Count);
        Assert.Equal(all.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.RunId, StringComparer.Ordinal).Select(r => r.RunId),
            all.Select(r => r.RunId));
        Assert.Equal(8, filtered.Count);
        Assert.All(filtered, r => Assert.Equal("x_high", r.Config));
    }

    [Fact]
    public async Task ListRuns_ConcurrentInserts_PagesStayStable()
    {
        await using var host = await StorageHost.StartAsync(backend);
        for (var i = 0; i < 30; i++)
        {
            await UpsertAsync(host, $"old-{i:D2}", s_base.AddSeconds(i), "cfg");
        }
        using var stop = new CancellationTokenSource();
        var inserted = 0;
        var writer = Task.Run(async () =>
        {
            // Inserts keep landing on both sides of the cursor while the pages are read.
            while (!stop.IsCancellationRequested && inserted < 200)
            {
                var n = Interlocked.Increment(ref inserted);
                var created = n % 2 == 0 ? s_base.AddDays(1).AddSeconds(n) : s_base.AddSeconds(15).AddTicks(n * 10);
                await UpsertAsync(host, $"new-{n:D3}", created, "cfg");
            }
        });

        var listed = new List<RunRecord>();
        var token = "";
        do
        {
            var page = await host.Client.ListRunsAsync(new ListRunsRequest { PageSize = 4, PageToken = token }, Requests.Timeout).ResponseAsync.DefaultTimeout();
            listed.AddRange(page.Runs);
            token = page.NextPageToken;
            await Task.Delay(5);
        }
        while (token.Length > 0);
        await stop.CancelAsync();
        await writer.DefaultTimeout();

        Assert.True(inserted > 0);
        Assert.Equal(listed.Count, listed.Select(r => r.RunId).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"old-{i:D2}").Reverse(), listed.Where(r => r.RunId.StartsWith("old-", StringComparison.Ordinal)).Select(r => r.RunId));
        for (var i = 1; i < listed.Count; i++)
        {
            var order = listed[i - 1].CreatedAt.CompareTo(listed[i].CreatedAt);
            Assert.True(order > 0 || (order == 0 && string.CompareOrdinal(listed[i - 1].RunId, listed[i].RunId) > 0),
                $"{listed[i - 1].RunId} should come before {listed[i].RunId}");
        }
    }

    [Fact]
    public async Task ListRuns_RunsWithImages_IncludeImages()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await host.Client.PutImageAsync(Requests.Put("with", 0, TestImages.Png(seed: 1)), Requests.Timeout).ResponseAsync.DefaultTimeout();
        await host.Client.PutImageAsync(Requests.Put("with", 1, TestImages.Png(seed: 2)), Requests.Timeout).ResponseAsync.DefaultTimeout();

        var page = await host.Client.ListRunsAsync(new ListRunsRequest(), Requests.Timeout).ResponseAsync.DefaultTimeout();

        Assert.Equal([0, 1], page.Runs.Single().Images.Select(i => i.ImageIndex));
        Assert.Equal("", page.NextPageToken);
    }

    [Theory]
    [InlineData("garbage!!")]
    [InlineData("cjEKMTIKcnVuCg")]
    [InlineData("eDEKMTIKcnVuCmNmZw")]
    public async Task ListRuns_MalformedPageToken_InvalidArgument(string token)
    {
        await using var host = await StorageHost.StartAsync(backend);

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.ListRunsAsync(
            new ListRunsRequest { PageToken = token, Config = "cfg" }, Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("page_token", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListRuns_TokenReusedWithOtherConfig_InvalidArgument()
    {
        await using var host = await StorageHost.StartAsync(backend);
        for (var i = 0; i < 3; i++)
        {
            await UpsertAsync(host, $"r{i}", s_base.AddSeconds(i), "a");
        }
        var first = await host.Client.ListRunsAsync(new ListRunsRequest { PageSize = 1, Config = "a" }, Requests.Timeout).ResponseAsync.DefaultTimeout();

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.ListRunsAsync(
            new ListRunsRequest { PageSize = 1, Config = "b", PageToken = first.NextPageToken }, Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(201)]
    public async Task ListRuns_PageSizeOutOfRange_InvalidArgument(int pageSize)
    {
        await using var host = await StorageHost.StartAsync(backend);

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.ListRunsAsync(
            new ListRunsRequest { PageSize = pageSize }, Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    private static Task<RunRecord> UpsertAsync(StorageHost host, string runId, DateTimeOffset created, string config) =>
        host.Client.UpsertRunAsync(new RunRecord { RunId = runId, Config = config, CreatedAt = Timestamp.FromDateTimeOffset(created) }, Requests.Timeout).ResponseAsync.DefaultTimeout();

    private static async Task<List<RunRecord>> ReadAllPagesAsync(StorageHost host, int pageSize, string config)
    {
        var runs = new List<RunRecord>();
        var token = "";
        do
        {
            var page = await host.Client.ListRunsAsync(new ListRunsRequest { PageSize = pageSize, PageToken = token, Config = config }, Requests.Timeout).ResponseAsync.DefaultTimeout();
            Assert.True(page.Runs.Count <= pageSize);
            runs.AddRange(page.Runs);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return runs;
    }

    /// <summary>On SQLite metadata.</summary>
    public sealed class Sqlite() : StorageGrpcServiceListRunsTests(StorageBackend.Sqlite);

    /// <summary>On PostgreSQL metadata.</summary>
    public sealed class Postgres() : StorageGrpcServiceListRunsTests(StorageBackend.Postgres);
}
