using Google.Rpc;
using Grpc.Core;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.Storage.V1;
using Storage.Service.Tests.TestSupport;

namespace Storage.Service.Tests.Grpc;

/// <summary>The run fields of the tenants contract (tenant, request digest, attempts, cost_known) through every read and write.</summary>
public abstract class StorageGrpcServiceRunFieldsTests(StorageBackend backend)
{
    [Fact]
    public async Task UpsertRun_TenantDigestAttemptsAndCostKnown_RoundTripThroughGetAndList()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var written = await host.Client.UpsertRunAsync(NewRun("fields", "alpha"), Requests.Timeout).ResponseAsync.DefaultTimeout();

        var read = await host.Client.GetRunAsync(new GetRunRequest { RunId = "fields" }, Requests.As(Requests.Member("alpha"))).ResponseAsync.DefaultTimeout();
        var listed = await host.Client.ListRunsAsync(new ListRunsRequest(), Requests.As(Requests.Member("alpha"))).ResponseAsync.DefaultTimeout();

        Assert.Equal("alpha", read.Tenant);
        Assert.Equal(NewRun("fields", "alpha").RequestDigest, read.RequestDigest);
        Assert.Equal(NewRun("fields", "alpha").Attempts, read.Attempts);
        Assert.True(read.HasCostKnown);
        Assert.False(read.CostKnown);
        Assert.Equal(written, read);
        Assert.Equal(read, Assert.Single(listed.Runs));
    }

    [Fact]
    public async Task UpsertRun_NewFieldsLeftEmpty_KeepStoredValues()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await host.Client.UpsertRunAsync(NewRun("keep", "alpha"), Requests.Timeout).ResponseAsync.DefaultTimeout();

        var updated = await host.Client.UpsertRunAsync(new RunRecord { RunId = "keep", State = RunState.Succeeded }, Requests.As(Requests.Member("alpha")))
            .ResponseAsync.DefaultTimeout();
        var costKnownNow = await host.Client.UpsertRunAsync(new RunRecord { RunId = "keep", Tenant = "alpha", CostKnown = true }, Requests.Timeout)
            .ResponseAsync.DefaultTimeout();

        Assert.Equal(("alpha", RunState.Succeeded), (updated.Tenant, updated.State));
        Assert.Equal(NewRun("keep", "alpha").RequestDigest, updated.RequestDigest);
        Assert.Equal(NewRun("keep", "alpha").Attempts, updated.Attempts);
        Assert.False(updated.CostKnown);
        Assert.True(costKnownNow.CostKnown);
        Assert.Equal(updated.Attempts, costKnownNow.Attempts);
    }

    [Fact]
    public async Task PutImage_RunWithNewFields_StoresThemWithTheImage()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var request = Requests.Put("put-fields", 0, TestImages.Png());
        request.Run = NewRun("put-fields", "alpha");

        await host.Client.PutImageAsync(request, Requests.Timeout).ResponseAsync.DefaultTimeout();
        var run = await host.Client.GetRunAsync(new GetRunRequest { RunId = "put-fields" }, Requests.As(Requests.Member("alpha"))).ResponseAsync.DefaultTimeout();

        Assert.Equal("alpha", run.Tenant);
        Assert.Equal(request.Run.RequestDigest, run.RequestDigest);
        Assert.Equal(request.Run.Attempts, run.Attempts);
        Assert.False(run.CostKnown);
        Assert.Single(run.Images);
    }

    [Fact]
    public async Task UpsertRun_NoTenantAndNoCaller_BelongsToTheDefaultTenant()
    {
        await using var host = await StorageHost.StartAsync(backend);

        var stored = await host.Client.UpsertRunAsync(new RunRecord { RunId = "plain" }, Requests.Timeout).ResponseAsync.DefaultTimeout();

        Assert.Equal("default", stored.Tenant);
        Assert.False(stored.HasCostKnown);
    }

    [Fact]
    public async Task UpsertRun_NoTenantFromAMember_BelongsToTheCallersTenant()
    {
        await using var host = await StorageHost.StartAsync(backend);

        var stored = await host.Client.UpsertRunAsync(new RunRecord { RunId = "mine" }, Requests.As(Requests.Member("beta"))).ResponseAsync.DefaultTimeout();

        Assert.Equal("beta", stored.Tenant);
    }

    [Theory]
    [InlineData("Alpha")]
    [InlineData("-alpha")]
    [InlineData("al pha")]
    [InlineData("a2345678901234567890123456789012345678901234567890123456789012345")]
    public async Task UpsertRun_InvalidTenant_InvalidArgumentOnTenant(string tenant)
    {
        await using var host = await StorageHost.StartAsync(backend);

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.UpsertRunAsync(
            new RunRecord { RunId = "r", Tenant = tenant }, Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("tenant", error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single().Field);
    }

    [Fact]
    public async Task PutImage_InvalidTenant_InvalidArgumentOnRunTenant()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var request = Requests.Put("bad-tenant", 0, TestImages.Png());
        request.Run.Tenant = "UPPER";

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.PutImageAsync(request, Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("run.tenant", error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single().Field);
    }

    internal static RunRecord NewRun(string runId, string tenant) => new()
    {
        RunId = runId,
        Tenant = tenant,
        Config = "x_high",
        Prompt = "a fox",
        State = RunState.Running,
        CostUsdMicros = 500,
        CostKnown = false,
        RequestDigest = { ["prompt"] = new string('a', 64), ["config"] = "x_high", ["parameters"] = new string('b', 64) },
        Attempts =
        {
            new RunAttempt { Config = "x_high", Provider = "openai", Model = "gpt-image-1", Outcome = AttemptOutcome.Failed, StatusCode = "UNAVAILABLE", Reason = "provider down" },
            new RunAttempt { Config = "x_fallback", Provider = "openrouter", Model = "gemini", Outcome = AttemptOutcome.Served },
        },
    };

    /// <summary>On SQLite metadata.</summary>
    public sealed class Sqlite() : StorageGrpcServiceRunFieldsTests(StorageBackend.Sqlite);

    /// <summary>On PostgreSQL metadata.</summary>
    public sealed class Postgres() : StorageGrpcServiceRunFieldsTests(StorageBackend.Postgres);
}
