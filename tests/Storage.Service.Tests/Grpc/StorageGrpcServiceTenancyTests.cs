using Google.Rpc;
using Grpc.Core;
using Pipeline.Contracts.Storage.V1;
using Pipeline.ServiceDefaults.Security;
using Storage.Service.Tests.TestSupport;

namespace Storage.Service.Tests.Grpc;

/// <summary>Two tenants on one storage: neither sees the other's runs or images; an admin sees both.</summary>
public abstract class StorageGrpcServiceTenancyTests(StorageBackend backend)
{
    private static readonly Caller s_alpha = Requests.Member("alpha");
    private static readonly Caller s_beta = Requests.Member("beta");

    [Fact]
    public async Task EveryReadAndDelete_AnotherTenantsRun_AnsweredExactlyAsAnUnknownOne()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await PutAsync(host, "a-run", "alpha");

        var asBeta = await EverySurfaceAsync(host, s_beta);
        var alphaStillHasIt = await host.Client.GetRunAsync(new GetRunRequest { RunId = "a-run" }, Requests.As(s_alpha)).ResponseAsync.DefaultTimeout();
        await host.Client.DeleteRunAsync(new DeleteRunRequest { RunId = "a-run" }, Requests.As(s_alpha)).ResponseAsync.DefaultTimeout();
        var unknown = await EverySurfaceAsync(host, s_beta);

        Assert.Single(alphaStillHasIt.Images);
        Assert.All(asBeta, e => Assert.Equal(StatusCode.NotFound, e.StatusCode));
        Assert.Equal(unknown.Select(e => (e.StatusCode, e.Status.Detail)), asBeta.Select(e => (e.StatusCode, e.Status.Detail)));
        Assert.All(asBeta, e => Assert.DoesNotContain("alpha", e.Status.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListRuns_TwoTenants_EachPagesOnlyItsOwnRunsStably()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var created = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 11; i++)
        {
            var tenant = i % 3 == 0 ? "beta" : "alpha";
            await host.Client.UpsertRunAsync(new RunRecord
            {
                RunId = $"{tenant}-{i:D2}", Tenant = tenant, CreatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(created.AddMinutes(i / 2)),
            }, Requests.Timeout).ResponseAsync.DefaultTimeout();
        }

        var alpha = await ReadAllPagesAsync(host, s_alpha);
        var beta = await ReadAllPagesAsync(host, s_beta);
        var admin = await ReadAllPagesAsync(host, Requests.Admin);

        Assert.Equal(7, alpha.Count);
        Assert.All(alpha, r => Assert.Equal("alpha", r.Tenant));
        Assert.Equal(4, beta.Count);
        Assert.All(beta, r => Assert.Equal("beta", r.Tenant));
        Assert.Equal(alpha.Count, alpha.Select(r => r.RunId).Distinct().Count());
        Assert.Equal(admin.Where(r => r.Tenant == "alpha").Select(r => r.RunId), alpha.Select(r => r.RunId));
        Assert.Equal(11, admin.Count);
    }

    [Fact]
    public async Task Admin_RunsOfTwoTenants_ReadsListsAndSplitsBoth()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var alphaPng = await PutAsync(host, "a-run", "alpha");
        var betaPng = await PutAsync(host, "b-run", "beta");

        var a = await host.Client.GetRunAsync(new GetRunRequest { RunId = "a-run" }, Requests.As(Requests.Admin)).ResponseAsync.DefaultTimeout();
        var b = await host.Client.GetRunAsync(new GetRunRequest { RunId = "b-run" }, Requests.As(Requests.Admin)).ResponseAsync.DefaultTimeout();
        var listed = await host.Client.ListRunsAsync(new ListRunsRequest(), Requests.As(Requests.Admin)).ResponseAsync.DefaultTimeout();
        var tiles = await host.Client.SplitGridAsync(new SplitGridRequest { ImageId = "b-run-0", Rows = 2, Columns = 2 }, Requests.As(Requests.Admin)).ResponseAsync.DefaultTimeout();

        Assert.Equal(("alpha", "beta"), (a.Tenant, b.Tenant));
        Assert.Equal(["a-run", "b-run"], listed.Runs.Select(r => r.RunId).Order());
        Assert.Equal(alphaPng, await Requests.ReadImageAsAsync(host.Client, "a-run-0", Requests.Admin).DefaultTimeout());
        Assert.Equal(betaPng, await Requests.ReadImageAsAsync(host.Client, "b-run-0", Requests.Admin).DefaultTimeout());
        Assert.Equal(4, tiles.Tiles.Count);
    }

    [Fact]
    public async Task Owner_ItsOwnRun_ReadsSplitsAndDeletesIt()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var png = await PutAsync(host, "b-run", "beta");

        var tiles = await host.Client.SplitGridAsync(new SplitGridRequest { ImageId = "b-run-0", Rows = 2, Columns = 1 }, Requests.As(s_beta)).ResponseAsync.DefaultTimeout();
        var bytes = await Requests.ReadImageAsAsync(host.Client, "b-run-0", s_beta).DefaultTimeout();
        var deleted = await host.Client.DeleteRunAsync(new DeleteRunRequest { RunId = "b-run" }, Requests.As(s_beta)).ResponseAsync.DefaultTimeout();

        Assert.Equal(2, tiles.Tiles.Count);
        Assert.Equal(png, bytes);
        Assert.Equal(3, deleted.ImagesDeleted);
    }

    [Fact]
    public async Task Writes_RecordNamingAnotherTenantThanTheStoredRuns_AlreadyExistsNamingNothingOfIt()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await PutAsync(host, "a-run", "alpha");
        var before = await host.Client.GetRunAsync(new GetRunRequest { RunId = "a-run" }, Requests.As(s_alpha)).ResponseAsync.DefaultTimeout();
        var put = Requests.Put("a-run", 1, TestImages.Png(seed: 7));
        put.Run.Tenant = "beta";

        var upsert = await Assert.ThrowsAsync<RpcException>(() => host.Client.UpsertRunAsync(
            new RunRecord { RunId = "a-run", Tenant = "beta", Prompt = "overwrite" }, Requests.Timeout).ResponseAsync).DefaultTimeout();
        var upsertAsBeta = await Assert.ThrowsAsync<RpcException>(() => host.Client.UpsertRunAsync(
            new RunRecord { RunId = "a-run", Prompt = "overwrite" }, Requests.As(s_beta)).ResponseAsync).DefaultTimeout();
        var putImage = await Assert.ThrowsAsync<RpcException>(() => host.Client.PutImageAsync(put, Requests.Timeout).ResponseAsync).DefaultTimeout();
        var putAtStoredIndex = Requests.Put("a-run", 0, TestImages.Png(seed: 8));
        putAtStoredIndex.Run.Tenant = "beta";
        var putExisting = await Assert.ThrowsAsync<RpcException>(() => host.Client.PutImageAsync(putAtStoredIndex, Requests.Timeout).ResponseAsync).DefaultTimeout();

        foreach (var error in new[] { upsert, upsertAsBeta, putImage, putExisting })
        {
            Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
            Assert.DoesNotContain("alpha", error.Status.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain("fox", error.Status.Detail, StringComparison.Ordinal);
        }
        Assert.Equal(before, await host.Client.GetRunAsync(new GetRunRequest { RunId = "a-run" }, Requests.As(s_alpha)).ResponseAsync.DefaultTimeout());
        await Requests.AssertBlobsMatchRowsAsync(host);
    }

    [Fact]
    public async Task PutImage_ImageIdHeldByAnotherTenantsRun_AlreadyExistsNamingNothingOfIt()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var alpha = Requests.Put("a-run", 0, TestImages.Png(seed: 1), imageId: "chosen");
        alpha.Run.Tenant = "alpha";
        await host.Client.PutImageAsync(alpha, Requests.Timeout).ResponseAsync.DefaultTimeout();
        var beta = Requests.Put("b-run", 0, TestImages.Png(seed: 2), imageId: "chosen");
        beta.Run.Tenant = "beta";

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.PutImageAsync(beta, Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.DoesNotContain("a-run", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Caller.TenantHeader, "Not A Tenant", Caller.TenantHeader)]
    [InlineData(Caller.RoleHeader, "root", Caller.TenantHeader)]
    [InlineData(Caller.BudgetHeader, "12", Caller.TenantHeader)]
    public async Task AnyCall_MalformedCallerMetadata_InvalidArgumentNamingTheHeader(string header, string value, string field)
    {
        await using var host = await StorageHost.StartAsync(backend);
        await PutAsync(host, "d-run", "default");
        var metadata = new global::Grpc.Core.Metadata { { header, value } };
        var options = new CallOptions(headers: metadata, deadline: DateTime.UtcNow + TestTimeouts.Default);

        var errors = new[]
        {
            await Assert.ThrowsAsync<RpcException>(() => host.Client.GetRunAsync(new GetRunRequest { RunId = "d-run" }, options).ResponseAsync).DefaultTimeout(),
            await Assert.ThrowsAsync<RpcException>(() => host.Client.ListRunsAsync(new ListRunsRequest(), options).ResponseAsync).DefaultTimeout(),
            await Assert.ThrowsAsync<RpcException>(() => host.Client.UpsertRunAsync(new RunRecord { RunId = "d-run" }, options).ResponseAsync).DefaultTimeout(),
            await Assert.ThrowsAsync<RpcException>(() => host.Client.GetSpendAsync(new GetSpendRequest(), options).ResponseAsync).DefaultTimeout(),
        };

        Assert.All(errors, e =>
        {
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Equal(field, e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single().Field);
        });
    }

    [Fact]
    public async Task AnyCall_UnknownRoleWithATenant_InvalidArgumentOnTheRoleHeader()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var metadata = new global::Grpc.Core.Metadata { { Caller.TenantHeader, "alpha" }, { Caller.RoleHeader, "root" } };

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.ListRunsAsync(new ListRunsRequest(),
            new CallOptions(headers: metadata, deadline: DateTime.UtcNow + TestTimeouts.Default)).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(Caller.RoleHeader, error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single().Field);
    }

    /// <summary>Stores image 0 of a run of <paramref name="tenant"/>; returns its bytes.</summary>
    internal static async Task<byte[]> PutAsync(StorageHost host, string runId, string tenant)
    {
        var png = TestImages.Quadrants(16, 16);
        var request = Requests.Put(runId, 0, png);
        request.Run.Tenant = tenant;
        await host.Client.PutImageAsync(request, Requests.Timeout).ResponseAsync.DefaultTimeout();
        return png;
    }

    /// <summary>What <paramref name="caller"/> gets from every read and delete of run "a-run" and its image "a-run-0".</summary>
    private static async Task<RpcException[]> EverySurfaceAsync(StorageHost host, Caller caller) =>
    [
        await Assert.ThrowsAsync<RpcException>(() => host.Client.GetRunAsync(new GetRunRequest { RunId = "a-run" }, Requests.As(caller)).ResponseAsync).DefaultTimeout(),
        await Assert.ThrowsAsync<RpcException>(() => Requests.ReadImageAsAsync(host.Client, "a-run-0", caller)).DefaultTimeout(),
        await Assert.ThrowsAsync<RpcException>(() => host.Client.SplitGridAsync(new SplitGridRequest { ImageId = "a-run-0", Rows = 2, Columns = 2 }, Requests.As(caller)).ResponseAsync).DefaultTimeout(),
        await Assert.ThrowsAsync<RpcException>(() => host.Client.DeleteRunAsync(new DeleteRunRequest { RunId = "a-run" }, Requests.As(caller)).ResponseAsync).DefaultTimeout(),
    ];

    private static async Task<List<RunRecord>> ReadAllPagesAsync(StorageHost host, Caller caller)
    {
        var runs = new List<RunRecord>();
        var token = "";
        do
        {
            var page = await host.Client.ListRunsAsync(new ListRunsRequest { PageSize = 3, PageToken = token }, Requests.As(caller)).ResponseAsync.DefaultTimeout();
            runs.AddRange(page.Runs);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return runs;
    }

    /// <summary>On SQLite metadata.</summary>
    public sealed class Sqlite() : StorageGrpcServiceTenancyTests(StorageBackend.Sqlite);

    /// <summary>On PostgreSQL metadata.</summary>
    public sealed class Postgres() : StorageGrpcServiceTenancyTests(StorageBackend.Postgres);
}
