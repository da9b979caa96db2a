using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Pipeline.Contracts.Storage.V1;
using Storage.Service.Tests.TestSupport;

namespace Storage.Service.Tests.Grpc;

/// <summary>ClaimRun: every outcome of <see cref="ClaimResult"/>, atomic under concurrent claims.</summary>
public abstract class StorageGrpcServiceClaimRunTests(StorageBackend backend)
{
    [Fact]
    public async Task ClaimRun_UnknownRunId_ClaimedAndStoredAsRunning()
    {
        await using var host = await StorageHost.StartAsync(backend);

        var response = await ClaimAsync(host, Claim("new-run", "alpha"));

        Assert.Equal(ClaimResult.Claimed, response.Result);
        Assert.Equal(("alpha", RunState.Running), (response.Run.Tenant, response.Run.State));
        var stored = await host.Client.GetRunAsync(new GetRunRequest { RunId = "new-run" }, Requests.As(Requests.Member("alpha"))).ResponseAsync.DefaultTimeout();
        Assert.Equal(response.Run, stored);
        Assert.Equal(Claim("new-run", "alpha").Run.RequestDigest, stored.RequestDigest);
    }

    [Fact]
    public async Task ClaimRun_SameRequestStillRunning_Running()
    {
        var time = new ManualTimeProvider();
        await using var host = await StorageHost.StartAsync(backend, time: time);
        var first = await ClaimAsync(host, Claim("busy", "alpha"));
        time.Advance(TimeSpan.FromMinutes(14));

        var again = await ClaimAsync(host, Claim("busy", "alpha"));

        Assert.Equal(ClaimResult.Running, again.Result);
        Assert.Equal(first.Run, again.Run);
        Assert.Empty(again.Differences);
    }

    [Fact]
    public async Task ClaimRun_SameRequestRunningButStale_ClaimedAgain()
    {
        var time = new ManualTimeProvider();
        await using var host = await StorageHost.StartAsync(backend, time: time);
        var first = await ClaimAsync(host, Claim("abandoned", "alpha"));
        time.Advance(TimeSpan.FromMinutes(16));

        var takeover = await ClaimAsync(host, Claim("abandoned", "alpha"));
        var runningAgain = await ClaimAsync(host, Claim("abandoned", "alpha"));

        Assert.Equal(ClaimResult.Claimed, takeover.Result);
        Assert.Equal(RunState.Running, takeover.Run.State);
        Assert.Equal(first.Run.CreatedAt, takeover.Run.CreatedAt);
        Assert.Equal(ClaimResult.Running, runningAgain.Result);
    }

    [Fact]
    public async Task ClaimRun_ShorterStaleAfter_TakesOverSooner()
    {
        var time = new ManualTimeProvider();
        await using var host = await StorageHost.StartAsync(backend, time: time);
        await ClaimAsync(host, Claim("short", "alpha"));
        time.Advance(TimeSpan.FromSeconds(31));
        var request = Claim("short", "alpha");
        request.StaleAfter = Duration.FromTimeSpan(TimeSpan.FromSeconds(30));

        var response = await ClaimAsync(host, request);

        Assert.Equal(ClaimResult.Claimed, response.Result);
    }

    [Fact]
    public async Task ClaimRun_SameRequestFailed_ClaimedWithErrorClearedAndNewFieldsMerged()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await ClaimAsync(host, Claim("failed", "alpha"));
        await host.Client.UpsertRunAsync(new RunRecord
        {
            RunId = "failed", Tenant = "alpha", State = RunState.Failed, Error = "provider down", CompletedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddDays(20500)),
        }, Requests.Timeout).ResponseAsync.DefaultTimeout();
        var retry = Claim("failed", "alpha");
        retry.Run.TraceId = "0af7651916cd43dd8448eb211c80319c";

        var response = await ClaimAsync(host, retry);

        Assert.Equal(ClaimResult.Claimed, response.Result);
        Assert.Equal((RunState.Running, "", "0af7651916cd43dd8448eb211c80319c"), (response.Run.State, response.Run.Error, response.Run.TraceId));
        Assert.Null(response.Run.CompletedAt);
        Assert.Equal("x_high", response.Run.Config);
    }

    [Fact]
    public async Task ClaimRun_SameRequestSucceeded_CompletedWithTheRunAndItsImages()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await ClaimAsync(host, Claim("done", "alpha"));
        var put = Requests.Put("done", 0, TestImages.Png());
        put.Run = new RunRecord { RunId = "done", Tenant = "alpha", State = RunState.Succeeded, CostUsdMicros = 40_000 };
        await host.Client.PutImageAsync(put, Requests.Timeout).ResponseAsync.DefaultTimeout();

        var response = await ClaimAsync(host, Claim("done", "alpha"));

        Assert.Equal(ClaimResult.Completed, response.Result);
        Assert.Equal((RunState.Succeeded, 40_000L), (response.Run.State, response.Run.CostUsdMicros));
        Assert.Equal("done-0", Assert.Single(response.Run.Images).ImageId);
    }

    [Fact]
    public async Task ClaimRun_SucceededRunRecordedBeforeRequestDigests_CompletedNotConflict()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var put = Requests.Put("legacy", 0, TestImages.Png());
        put.Run = new RunRecord { RunId = "legacy", Tenant = "alpha", State = RunState.Succeeded };
        await host.Client.PutImageAsync(put, Requests.Timeout).ResponseAsync.DefaultTimeout();

        var response = await ClaimAsync(host, Claim("legacy", "alpha"));

        Assert.Equal(ClaimResult.Completed, response.Result);
        Assert.Empty(response.Run.RequestDigest);
    }

    [Fact]
    public async Task ClaimRun_SameTenantDifferentRequest_ConflictNamingEveryDifferingKeySorted()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await ClaimAsync(host, Claim("reused", "alpha"));
        var other = Claim("reused", "alpha");
        other.Run.RequestDigest["prompt"] = new string('f', 64);
        other.Run.RequestDigest.Remove("parameters");
        other.Run.RequestDigest["mask"] = new string('c', 64);

        var response = await ClaimAsync(host, other);

        Assert.Equal(ClaimResult.Conflict, response.Result);
        Assert.Equal(["mask", "parameters", "prompt"], response.Differences);
        Assert.Null(response.Run);
    }

    [Fact]
    public async Task ClaimRun_RunIdOfAnotherTenant_TakenWithNothingOfIt()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await ClaimAsync(host, Claim("a-run", "alpha"));

        var sameRequest = await ClaimAsync(host, Claim("a-run", "beta"));
        var otherRequest = Claim("a-run", "beta");
        otherRequest.Run.RequestDigest["prompt"] = "0";
        var differentRequest = await ClaimAsync(host, otherRequest);

        foreach (var response in new[] { sameRequest, differentRequest })
        {
            Assert.Equal(ClaimResult.Taken, response.Result);
            Assert.Null(response.Run);
            Assert.Empty(response.Differences);
        }
        var stored = await host.Client.GetRunAsync(new GetRunRequest { RunId = "a-run" }, Requests.As(Requests.Member("alpha"))).ResponseAsync.DefaultTimeout();
        Assert.Equal("alpha", stored.Tenant);
    }

    [Fact]
    public async Task ClaimRun_ConcurrentClaimsOfOneRunId_ExactlyOneClaimed()
    {
        await using var host = await StorageHost.StartAsync(backend);

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => ClaimAsync(host, Claim("race", "alpha")))).DefaultTimeout();

        Assert.Single(responses, r => r.Result == ClaimResult.Claimed);
        Assert.All(responses.Where(r => r.Result != ClaimResult.Claimed), r => Assert.Equal(ClaimResult.Running, r.Result));
    }

    [Fact]
    public async Task ClaimRun_ConcurrentClaimsOfTwoTenants_OneClaimedOneTaken()
    {
        await using var host = await StorageHost.StartAsync(backend);

        var responses = await Task.WhenAll(ClaimAsync(host, Claim("contested", "alpha")), ClaimAsync(host, Claim("contested", "beta"))).DefaultTimeout();

        Assert.Equal([ClaimResult.Claimed, ClaimResult.Taken], responses.Select(r => r.Result).Order());
    }

    [Theory]
    [InlineData("", "run.tenant")]
    [InlineData("Alpha", "run.tenant")]
    [InlineData("alpha", "run.request_digest")]
    public async Task ClaimRun_MissingOrInvalidRequiredField_InvalidArgumentNamingIt(string tenant, string field)
    {
        await using var host = await StorageHost.StartAsync(backend);
        var request = Claim("bad", "alpha");
        request.Run.Tenant = tenant;
        if (field == "run.request_digest")
        {
            request.Run.RequestDigest.Clear();
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.ClaimRunAsync(request, Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(field, error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Single().Field);
    }

    private static ClaimRunRequest Claim(string runId, string tenant)
    {
        var run = StorageGrpcServiceRunFieldsTests.NewRun(runId, tenant);
        run.Attempts.Clear();
        run.ClearCostKnown();
        run.CostUsdMicros = 0;
        run.State = RunState.Unspecified;
        return new ClaimRunRequest { Run = run };
    }

    private static Task<ClaimRunResponse> ClaimAsync(StorageHost host, ClaimRunRequest request) =>
        host.Client.ClaimRunAsync(request, Requests.Timeout).ResponseAsync.DefaultTimeout();

    /// <summary>On SQLite metadata.</summary>
    public sealed class Sqlite() : StorageGrpcServiceClaimRunTests(StorageBackend.Sqlite);

    /// <summary>On PostgreSQL metadata.</summary>
    public sealed class Postgres() : StorageGrpcServiceClaimRunTests(StorageBackend.Postgres);
}
