using Google.Protobuf.WellKnownTypes;
using Pipeline.Contracts.Storage.V1;
using Storage.Service.Metadata;

namespace Storage.Service.Tests.Metadata;

/// <summary>The claim rule both metadata backends share (<see cref="RunClaim"/>), without a database.</summary>
public sealed class RunClaimTests
{
    private const long Now = 1_000_000_000;
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Decide_NothingStored_NewRunningRowWithoutImages()
    {
        var request = Request();
        request.Images.Add(new ImageRecord { ImageId = "i" });

        var decision = await RunClaim.DecideAsync(null, request, Now, StaleAfter, NotRead).DefaultTimeout();

        Assert.Null(decision.Answer);
        Assert.Equal(RunState.Running, decision.Row!.State);
        Assert.Empty(decision.Row.Images);
        Assert.Equal(RowValues.ToTimestamp(Now), decision.Row.CreatedAt);
        Assert.Single(request.Images);
    }

    [Fact]
    public async Task Decide_AnotherTenantsRun_TakenNamingNothingOfIt()
    {
        var stored = Stored(RunState.Succeeded);
        stored.Tenant = "other";

        var decision = await RunClaim.DecideAsync(stored, Request(), Now, StaleAfter, NotRead).DefaultTimeout();

        Assert.Equal(new ClaimRunResponse { Result = ClaimResult.Taken }, decision.Answer);
        Assert.Null(decision.Row);
    }

    [Fact]
    public async Task Decide_RequestDiffers_ConflictNamingTheFields()
    {
        var request = Request();
        request.RequestDigest["prompt"] = "b";

        var decision = await RunClaim.DecideAsync(Stored(RunState.Failed), request, Now, StaleAfter, NotRead).DefaultTimeout();

        Assert.Equal(ClaimResult.Conflict, decision.Answer!.Result);
        Assert.Equal(["prompt"], decision.Answer.Differences);
        Assert.Null(decision.Row);
    }

    [Fact]
    public async Task Decide_Succeeded_CompletedWithTheStoredRun()
    {
        var stored = Stored(RunState.Succeeded);

        var decision = await RunClaim.DecideAsync(stored, Request(), Now, StaleAfter, NotRead).DefaultTimeout();

        Assert.Equal(ClaimResult.Completed, decision.Answer!.Result);
        Assert.Same(stored, decision.Answer.Run);
    }

    [Fact]
    public async Task Decide_RunningWrittenExactlyStaleAfterAgo_StillRunning()
    {
        var stored = Stored(RunState.Running);

        var decision = await RunClaim.DecideAsync(stored, Request(), Now, StaleAfter,
            () => Task.FromResult(Now - (long)StaleAfter.TotalMicroseconds)).DefaultTimeout();

        Assert.Equal(ClaimResult.Running, decision.Answer!.Result);
        Assert.Same(stored, decision.Answer.Run);
    }

    [Fact]
    public async Task Decide_RunningButStale_TakenOverAsRunningWithErrorAndCompletionCleared()
    {
        var decision = await RunClaim.DecideAsync(Stored(RunState.Running), Request(), Now, StaleAfter,
            () => Task.FromResult(Now - (long)StaleAfter.TotalMicroseconds - 1)).DefaultTimeout();

        AssertTakenOver(decision);
    }

    [Fact]
    public async Task Decide_Failed_TakenOverWithoutReadingWhenItWasWritten()
    {
        var decision = await RunClaim.DecideAsync(Stored(RunState.Failed), Request(), Now, StaleAfter, NotRead).DefaultTimeout();

        AssertTakenOver(decision);
    }

    private static void AssertTakenOver(RunClaim.Decision decision)
    {
        Assert.Null(decision.Answer);
        Assert.Equal(RunState.Running, decision.Row!.State);
        Assert.Equal("", decision.Row.Error);
        Assert.Null(decision.Row.CompletedAt);
        Assert.Empty(decision.Row.Images);
        Assert.Equal(Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)), decision.Row.CreatedAt);
    }

    private static Task<long> NotRead() => throw new InvalidOperationException("updated_at is read only for a running run");

    private static RunRecord Request()
    {
        var run = new RunRecord { RunId = "r", Tenant = "acme", Config = "x" };
        run.RequestDigest["prompt"] = "a";
        return run;
    }

    private static RunRecord Stored(RunState state)
    {
        var run = Request();
        run.State = state;
        run.Error = state == RunState.Failed ? "boom" : "";
        run.CreatedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        run.CompletedAt = state is RunState.Failed or RunState.Succeeded ? run.CreatedAt : null;
        run.Images.Add(new ImageRecord { ImageId = "r-0", RunId = "r" });
        return run;
    }
}
