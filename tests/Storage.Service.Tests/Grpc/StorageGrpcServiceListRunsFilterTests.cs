using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Pipeline.Contracts.Storage.V1;
using Storage.Service.Tests.TestSupport;

namespace Storage.Service.Tests.Grpc;

/// <summary>ListRuns filters by state and creation time besides config, pages stay bound to their filters, and a run's parent round-trips.</summary>
public abstract class StorageGrpcServiceListRunsFilterTests(StorageBackend backend)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ListRuns_StateAndTimeRange_OnlyMatchingRunsNewestFirst()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await UpsertAsync(host, "old-ok", RunState.Succeeded, T0);
        await UpsertAsync(host, "mid-failed", RunState.Failed, T0.AddDays(1));
        await UpsertAsync(host, "mid-ok", RunState.Succeeded, T0.AddDays(2));
        await UpsertAsync(host, "new-ok", RunState.Succeeded, T0.AddDays(3));

        var succeededInRange = await ListAsync(host, new ListRunsRequest
        {
            State = RunState.Succeeded,
            CreatedAfter = Timestamp.FromDateTimeOffset(T0.AddDays(1)),
            CreatedBefore = Timestamp.FromDateTimeOffset(T0.AddDays(3)),
        });
        var failed = await ListAsync(host, new ListRunsRequest { State = RunState.Failed });

        Assert.Equal(["mid-ok"], succeededInRange.Runs.Select(r => r.RunId));
        Assert.Equal(["mid-failed"], failed.Runs.Select(r => r.RunId));
    }

    [Fact]
    public async Task ListRuns_PagesWithAFilter_EveryMatchOnceAndTheTokenRefusedWithOtherFilters()
    {
        await using var host = await StorageHost.StartAsync(backend);
        for (var i = 0; i < 5; i++)
        {
            await UpsertAsync(host, $"ok-{i}", RunState.Succeeded, T0.AddHours(i));
            await UpsertAsync(host, $"failed-{i}", RunState.Failed, T0.AddHours(i).AddMinutes(1));
        }

        var first = await ListAsync(host, new ListRunsRequest { State = RunState.Succeeded, PageSize = 3 });
        var second = await ListAsync(host, new ListRunsRequest { State = RunState.Succeeded, PageSize = 3, PageToken = first.NextPageToken });
        var mismatch = await Assert.ThrowsAsync<RpcException>(() => ListAsync(host, new ListRunsRequest { PageSize = 3, PageToken = first.NextPageToken }));

        Assert.Equal(["ok-4", "ok-3", "ok-2", "ok-1", "ok-0"], first.Runs.Concat(second.Runs).Select(r => r.RunId));
        Assert.Empty(second.NextPageToken);
        Assert.Equal(StatusCode.InvalidArgument, mismatch.StatusCode);
        Assert.Contains("other filters", mismatch.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListRuns_EmptyTimeRange_InvalidArgumentNamingCreatedBefore()
    {
        await using var host = await StorageHost.StartAsync(backend);

        var error = await Assert.ThrowsAsync<RpcException>(() => ListAsync(host, new ListRunsRequest
        {
            CreatedAfter = Timestamp.FromDateTimeOffset(T0.AddDays(1)),
            CreatedBefore = Timestamp.FromDateTimeOffset(T0),
        }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("created_before", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpsertRun_ParentRunId_RoundTripsAndIsKeptByLaterUpdates()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await host.Client.UpsertRunAsync(new RunRecord { RunId = "child", ParentRunId = "parent", State = RunState.Running, CreatedAt = Timestamp.FromDateTimeOffset(T0) }, Requests.Timeout).ResponseAsync.DefaultTimeout();
        await host.Client.UpsertRunAsync(new RunRecord { RunId = "child", State = RunState.Succeeded }, Requests.Timeout).ResponseAsync.DefaultTimeout();

        var run = await host.Client.GetRunAsync(new GetRunRequest { RunId = "child" }, Requests.Timeout).ResponseAsync.DefaultTimeout();

        Assert.Equal(("parent", RunState.Succeeded), (run.ParentRunId, run.State));
    }

    [Fact]
    public async Task UpsertRun_LocalRun_RoundTripsAndALaterRecordWithoutTheFlagKeepsIt()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await host.Client.UpsertRunAsync(new RunRecord { RunId = "eco", Local = true, State = RunState.Running, CreatedAt = Timestamp.FromDateTimeOffset(T0) }, Requests.Timeout).ResponseAsync.DefaultTimeout();
        await host.Client.UpsertRunAsync(new RunRecord { RunId = "cloud", State = RunState.Running, CreatedAt = Timestamp.FromDateTimeOffset(T0) }, Requests.Timeout).ResponseAsync.DefaultTimeout();
        await host.Client.UpsertRunAsync(new RunRecord { RunId = "eco", State = RunState.Succeeded }, Requests.Timeout).ResponseAsync.DefaultTimeout();

        var eco = await host.Client.GetRunAsync(new GetRunRequest { RunId = "eco" }, Requests.Timeout).ResponseAsync.DefaultTimeout();
        var cloud = await host.Client.GetRunAsync(new GetRunRequest { RunId = "cloud" }, Requests.Timeout).ResponseAsync.DefaultTimeout();

        Assert.Equal((true, RunState.Succeeded), (eco.Local, eco.State));
        Assert.False(cloud.Local);
    }

    private static Task UpsertAsync(StorageHost host, string runId, RunState state, DateTimeOffset createdAt) =>
        host.Client.UpsertRunAsync(new RunRecord { RunId = runId, State = state, CreatedAt = Timestamp.FromDateTimeOffset(createdAt) }, Requests.Timeout).ResponseAsync.DefaultTimeout();

    private static Task<ListRunsResponse> ListAsync(StorageHost host, ListRunsRequest request) =>
        host.Client.ListRunsAsync(request, Requests.Timeout).ResponseAsync.DefaultTimeout();

    /// <summary>On SQLite metadata.</summary>
    public sealed class Sqlite() : StorageGrpcServiceListRunsFilterTests(StorageBackend.Sqlite);

    /// <summary>On PostgreSQL metadata.</summary>
    public sealed class Postgres() : StorageGrpcServiceListRunsFilterTests(StorageBackend.Postgres);
}
