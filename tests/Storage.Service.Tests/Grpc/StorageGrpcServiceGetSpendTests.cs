using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Pipeline.Contracts.Storage.V1;
using Storage.Service.Tests.TestSupport;

namespace Storage.Service.Tests.Grpc;

/// <summary>GetSpend: per tenant, since a point in time, cost_known, and who may ask.</summary>
public abstract class StorageGrpcServiceGetSpendTests(StorageBackend backend)
{
    private static readonly DateTimeOffset s_month = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetSpend_TwoTenants_SumsOnlyTheTenantsRunsSinceTheGivenTime()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await RecordAsync(host, "a1", "alpha", s_month.AddDays(-1), 1_000, costKnown: true);
        await RecordAsync(host, "a2", "alpha", s_month, 20_000, costKnown: true);
        await RecordAsync(host, "a3", "alpha", s_month.AddDays(3), 300_000, costKnown: null);
        await RecordAsync(host, "b1", "beta", s_month.AddDays(2), 4_000_000, costKnown: true);

        var alpha = await SpendAsync(host, "", Requests.Member("alpha"));
        var beta = await SpendAsync(host, "", Requests.Member("beta"));
        var nobody = await SpendAsync(host, "", Requests.Member("gamma"));

        Assert.Equal((320_000L, 2, true), (alpha.CostUsdMicros, alpha.Runs, alpha.CostKnown));
        Assert.Equal((4_000_000L, 1, true), (beta.CostUsdMicros, beta.Runs, beta.CostKnown));
        Assert.Equal((0L, 0, true), (nobody.CostUsdMicros, nobody.Runs, nobody.CostKnown));
    }

    [Fact]
    public async Task GetSpend_ARunWithAnUnknownPrice_CostKnownFalse()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await RecordAsync(host, "a1", "alpha", s_month.AddDays(1), 1_000, costKnown: true);
        await RecordAsync(host, "a2", "alpha", s_month.AddDays(2), 0, costKnown: false);
        await RecordAsync(host, "a0", "alpha", s_month.AddDays(-2), 0, costKnown: false);

        var spend = await SpendAsync(host, "alpha", Requests.Member("alpha"));
        var earlier = await SpendAsync(host, "alpha", Requests.Member("alpha"), since: s_month.AddDays(2).AddTicks(10));

        Assert.Equal((1_000L, 2, false), (spend.CostUsdMicros, spend.Runs, spend.CostKnown));
        Assert.Equal((0, true), (earlier.Runs, earlier.CostKnown));
    }

    [Fact]
    public async Task GetSpend_MemberAsksForAnotherTenant_PermissionDenied()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await RecordAsync(host, "a1", "alpha", s_month.AddDays(1), 1_000, costKnown: true);

        var error = await Assert.ThrowsAsync<RpcException>(() => SpendAsync(host, "alpha", Requests.Member("beta"))).DefaultTimeout();

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task GetSpend_AdminAsksForAnyTenant_Answered()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await RecordAsync(host, "a1", "alpha", s_month.AddDays(1), 1_000, costKnown: true);

        var spend = await SpendAsync(host, "alpha", Requests.Admin);

        Assert.Equal((1_000L, 1), (spend.CostUsdMicros, spend.Runs));
    }

    [Fact]
    public async Task GetSpend_InvalidTenantName_InvalidArgument()
    {
        await using var host = await StorageHost.StartAsync(backend);

        var error = await Assert.ThrowsAsync<RpcException>(() => SpendAsync(host, "Not Valid", Requests.Admin)).DefaultTimeout();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    private static Task<GetSpendResponse> SpendAsync(StorageHost host, string tenant, Pipeline.ServiceDefaults.Security.Caller caller, DateTimeOffset? since = null) =>
        host.Client.GetSpendAsync(new GetSpendRequest { Tenant = tenant, Since = Timestamp.FromDateTimeOffset(since ?? s_month) }, Requests.As(caller)).ResponseAsync;

    private static async Task RecordAsync(StorageHost host, string runId, string tenant, DateTimeOffset created, long cost, bool? costKnown)
    {
        var run = new RunRecord { RunId = runId, Tenant = tenant, CreatedAt = Timestamp.FromDateTimeOffset(created), CostUsdMicros = cost, State = RunState.Succeeded };
        if (costKnown is { } known)
        {
            run.CostKnown = known;
        }
        await host.Client.UpsertRunAsync(run, Requests.Timeout).ResponseAsync.DefaultTimeout();
    }

    /// <summary>On SQLite metadata.</summary>
    public sealed class Sqlite() : StorageGrpcServiceGetSpendTests(StorageBackend.Sqlite);

    /// <summary>On PostgreSQL metadata.</summary>
    public sealed class Postgres() : StorageGrpcServiceGetSpendTests(StorageBackend.Postgres);
}
