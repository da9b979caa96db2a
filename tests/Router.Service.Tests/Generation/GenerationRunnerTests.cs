using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Contracts.Storage.V1;
using Router.Service.Tests.Catalogue;
using Router.Service.Tests.TestSupport;
using GetRunRequest = Pipeline.Contracts.Storage.V1.GetRunRequest;

namespace Router.Service.Tests.Generation;

/// <summary>Fallbacks, deadlines and cancellation between the router and the adapters (scripted adapters, real storage).</summary>
public sealed class GenerationRunnerTests : IAsyncLifetime
{
    private TestFleet _fleet = null!;

    public async ValueTask InitializeAsync() => _fleet = await TestFleet.StartAsync();

    public async ValueTask DisposeAsync() => await _fleet.DisposeAsync();

    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.ResourceExhausted)]
    [InlineData(StatusCode.Internal)]
    public async Task Generate_RetryableFailureBeforeAnyFrame_FallsBackToTheNextConfig(StatusCode code)
    {
        _fleet.OpenAI.Script("gpt-image-1", AdapterScripts.Fail(code, "provider trouble"));

        var result = (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1", RunId = $"fallback-{code}" })).EnsureOk();

        Assert.Equal(["gpt-image-1", "gpt-image-1.5"], _fleet.OpenAI.Calls.Select(c => c.Request.Model));
        // Accepted names the config asked for; the Fallback frame, before any partial, names the one that now serves.
        Assert.Equal(("gpt-image-1", false), (result.Accepted.Config, result.Accepted.Replayed));
        Assert.Equal([GenerateFrame.FrameOneofCase.Accepted, GenerateFrame.FrameOneofCase.Fallback], result.Frames.Take(2).Select(f => f.FrameCase));
        var fallback = result.Frames[1].Fallback;
        Assert.Equal(("gpt-image-1.5", "openai", "gpt-image-1.5"), (fallback.Config, fallback.Provider, fallback.Model));
        var failed = Assert.Single(fallback.Earlier);
        Assert.Equal(("gpt-image-1", AttemptOutcome.Failed, JsonNamingPolicy.SnakeCaseUpper.ConvertName(code.ToString()), "provider trouble"),
            (failed.Config, failed.Outcome, failed.StatusCode, failed.Reason));
        var final = Assert.Single(result.Finals);
        Assert.Equal((FinishReason.Stored, "gpt-image-1.5", "gpt-image-1.5"), (final.FinishReason, final.Config, final.Model));
        var run = await _fleet.Storage.Client.GetRunAsync(new GetRunRequest { RunId = $"fallback-{code}" }).DefaultTimeout();
        Assert.Equal(("gpt-image-1.5", "gpt-image-1.5", RunState.Succeeded), (run.Config, run.Model, run.State));
        Assert.Equal([("gpt-image-1", AttemptOutcome.Failed), ("gpt-image-1.5", AttemptOutcome.Served)], run.Attempts.Select(a => (a.Config, a.Outcome)));
    }

    [Fact]
    public async Task Generate_ChainedFallbacks_FollowEachFallbacksOwnFallbacksInOrder()
    {
        // gpt-image-1_highquality → gpt-image-1 → (gpt-image-1.5, gemini → gpt-image-1-mini): depth first, each config once.
        foreach (var model in new[] { "gpt-image-1", "gpt-image-1.5" })
        {
            _fleet.OpenAI.Script(model, AdapterScripts.Fail(StatusCode.Unavailable, "down"));
        }
        _fleet.OpenRouter.Script("google/gemini-2.5-flash-image", AdapterScripts.Fail(StatusCode.ResourceExhausted, "busy"));

        var result = (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1_highquality", RunId = "chain" })).EnsureOk();

        Assert.Equal(["gpt-image-1", "gpt-image-1", "gpt-image-1.5", "google/gemini-2.5-flash-image", "gpt-image-1-mini"],
            _fleet.AdapterCalls.OrderBy(c => c.ReceivedAt).Select(c => c.Request.Model));
        var fallbacks = result.Frames.Where(f => f.FrameCase == GenerateFrame.FrameOneofCase.Fallback).Select(f => f.Fallback).ToList();
        Assert.Equal(["gpt-image-1", "gpt-image-1.5", "gemini-2.5-flash-image", "gpt-image-1-mini"], fallbacks.Select(f => f.Config));
        Assert.Equal("gpt-image-1-mini", Assert.Single(result.Finals).Config);
        var run = await _fleet.Storage.Client.GetRunAsync(new GetRunRequest { RunId = "chain" }).DefaultTimeout();
        Assert.Equal(["gpt-image-1_highquality", "gpt-image-1", "gpt-image-1.5", "gemini-2.5-flash-image", "gpt-image-1-mini"], run.Attempts.Select(a => a.Config));
        Assert.Equal(AttemptOutcome.Served, run.Attempts[^1].Outcome);
        Assert.Equal("gpt-image-1-mini", run.Config);
    }

    [Fact]
    public async Task Generate_EveryOpenAIConfigUnavailable_FallsBackToTheOpenRouterAdapter()
    {
        _fleet.OpenAI.Script("gpt-image-1", AdapterScripts.Fail(StatusCode.Unavailable, "down"));
        _fleet.OpenAI.Script("gpt-image-1.5", AdapterScripts.Fail(StatusCode.ResourceExhausted, "rate limited",
            new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(3)) }));

        (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1" })).EnsureOk();

        Assert.Equal(2, _fleet.OpenAI.Calls.Count);
        var call = Assert.Single(_fleet.OpenRouter.Calls);
        Assert.Equal("google/gemini-2.5-flash-image", call.Request.Model);
        Assert.Equal(Pipeline.Contracts.Provider.V1.Operation.Chat, call.Request.Operation);
        Assert.Equal("1:1", call.Request.Extra.Fields["aspect_ratio"].StringValue);
    }

    [Fact]
    public async Task Generate_LastFallbackFails_CallerGetsItsStatusWithDetails()
    {
        var retry = new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(7)) };
        _fleet.OpenAI.Script("gpt-image-1-mini", AdapterScripts.Fail(StatusCode.ResourceExhausted, "rate limited", retry));
        _fleet.OpenAI.Script("gpt-image-1", AdapterScripts.Fail(StatusCode.Unavailable, "down"));

        var result = await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1_draft" });

        Assert.Equal(StatusCode.ResourceExhausted, result.Status.StatusCode);
        Assert.Equal(retry, result.Detail<RetryInfo>());
        Assert.Equal(["gpt-image-1", "gpt-image-1-mini"], _fleet.OpenAI.Calls.Select(c => c.Request.Model));
        Assert.Equal([GenerateFrame.FrameOneofCase.Accepted, GenerateFrame.FrameOneofCase.Fallback], result.Frames.Select(f => f.FrameCase));
        var run = await _fleet.Storage.Client.GetRunAsync(new GetRunRequest { RunId = result.Accepted.RunId }).DefaultTimeout();
        Assert.Equal(RunState.Failed, run.State);
        Assert.Contains("ResourceExhausted", run.Error);
    }

    [Fact]
    public async Task Generate_FailureAfterAPartialFrame_NoFallbackAndTheStatusReachesTheCaller()
    {
        _fleet.OpenAI.Script("gpt-image-1", AdapterScripts.PartialThenFail(StatusCode.Unavailable));

        var result = await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1", Parameters = new() { PartialImages = 1 } });

        Assert.Equal(StatusCode.Unavailable, result.Status.StatusCode);
        Assert.Single(result.Partials);
        Assert.Empty(result.Finals);
        Assert.Single(_fleet.AdapterCalls);
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.Unauthenticated)]
    [InlineData(StatusCode.PermissionDenied)]
    public async Task Generate_NonRetryableFailure_NoFallback(StatusCode code)
    {
        _fleet.OpenAI.Script("gpt-image-1", AdapterScripts.Fail(code, "not this request"));

        var result = await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1" });

        Assert.Equal(code, result.Status.StatusCode);
        Assert.Single(_fleet.AdapterCalls);
    }

    [Fact]
    public async Task Generate_ContentPolicy_FailedPreconditionWithTheProviderReasonAndNoFallback()
    {
        _fleet.OpenAI.Script("gpt-image-1", AdapterScripts.ContentPolicy());

        var result = await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1" });

        Assert.Equal(StatusCode.FailedPrecondition, result.Status.StatusCode);
        Assert.Equal("moderation_blocked", result.Detail<ErrorInfo>()?.Reason);
        Assert.Single(_fleet.AdapterCalls);
    }

    [Fact]
    public async Task Generate_FallbackThatCannotTakeTheRequest_IsSkipped()
    {
        // gpt-image-1 falls back to gpt-image-1.5 (takes n=3), then gemini (max n 1) and its own fallback gpt-image-1-mini:
        // with n=3 gemini is skipped, and the run goes on to gpt-image-1-mini.
        _fleet.OpenAI.Script("gpt-image-1", AdapterScripts.Fail(StatusCode.Unavailable, "down"));
        _fleet.OpenAI.Script("gpt-image-1.5", AdapterScripts.Fail(StatusCode.Unavailable, "down"));

        var result = (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1", Parameters = new() { N = 3 } })).EnsureOk();

        Assert.Empty(_fleet.OpenRouter.Calls);
        Assert.Equal("gpt-image-1-mini", _fleet.OpenAI.Calls[^1].Request.Model);
        Assert.Contains(_fleet.Router.Logs, e => e.EventId.Id == 103 && e.Message.Contains("gemini-2.5-flash-image", StringComparison.Ordinal));
        var skipped = result.Frames.Last(f => f.FrameCase == GenerateFrame.FrameOneofCase.Fallback).Fallback.Earlier.Single(a => a.Outcome == AttemptOutcome.Skipped);
        Assert.Equal("gemini-2.5-flash-image", skipped.Config);
        Assert.StartsWith("the request is not valid for it: ", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_NoCallerDeadline_AdapterGetsTheConfigTimeoutAsDeadlineAndTimeout()
    {
        var started = DateTime.UtcNow;

        (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1_draft" })).EnsureOk();

        var call = Assert.Single(_fleet.OpenAI.Calls);
        var timeout = call.Request.Timeout.ToTimeSpan();
        Assert.InRange(timeout, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(120));   // config timeout_seconds = 120
        Assert.InRange(call.Deadline, started + TimeSpan.FromSeconds(100), DateTime.UtcNow + TimeSpan.FromSeconds(121));
    }

    [Fact]
    public async Task Generate_CallerDeadlineShorterThanTheConfigTimeout_BoundsTheAdapterCallWhichIsCancelled()
    {
        _fleet.OpenAI.Script("gpt-image-1", AdapterScripts.Hang());
        var callerDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);

        using var call = _fleet.Client.Generate(new GenerateRequest { Prompt = "x", Config = "gpt-image-1" }, deadline: callerDeadline);
        var result = await GenerateResult.ReadAsync(call).DefaultTimeout();

        Assert.Equal(StatusCode.DeadlineExceeded, result.Status.StatusCode);
        var adapterCall = Assert.Single(_fleet.AdapterCalls);   // no fallback once the caller's time is up
        Assert.InRange(adapterCall.Request.Timeout.ToTimeSpan(), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(3));
        // Bounded by the caller's 3 s, not the config's 300 s (the slack covers grpc-timeout rounding and transit on a busy machine).
        Assert.True(adapterCall.Deadline <= callerDeadline + TimeSpan.FromSeconds(2), $"adapter deadline {adapterCall.Deadline:O}, caller's {callerDeadline:O}");
        await adapterCall.Cancelled.DefaultTimeout();
    }

    [Fact]
    public async Task Generate_ConfigTimeoutPassesBeforeAnyFrame_FallsBackToTheNextConfig()
    {
        using var catalogue = new TestCatalogue();
        catalogue.Edit("configs/gpt-image-1.json", config => config["timeout_seconds"] = 1);
        await using var fleet = await TestFleet.StartAsync(new Dictionary<string, string?> { ["Catalogue:Path"] = catalogue.Directory });
        fleet.OpenAI.Script("gpt-image-1", AdapterScripts.Hang());

        var result = (await fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1" })).EnsureOk();

        Assert.Equal(["gpt-image-1", "gpt-image-1.5"], fleet.OpenAI.Calls.Select(c => c.Request.Model));
        var first = fleet.OpenAI.Calls[0];
        Assert.InRange(first.Request.Timeout.ToTimeSpan(), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
        await first.Cancelled.DefaultTimeout();
        Assert.InRange(fleet.OpenAI.Calls[1].Request.Timeout.ToTimeSpan(), TimeSpan.FromSeconds(200), TimeSpan.FromSeconds(300));
        Assert.Single(result.Finals);
    }

    [Fact]
    public async Task Generate_CallerGoesAway_AdapterCallIsCancelledAndTheRunFails()
    {
        _fleet.OpenAI.Script("gpt-image-1", AdapterScripts.PartialsThenWait(new TaskCompletionSource().Task));
        var call = _fleet.Client.Generate(new GenerateRequest { Prompt = "x", Config = "gpt-image-1", RunId = "walked-away", Parameters = new() { PartialImages = 1 } });
        await using (var frames = call.ResponseStream.ReadAllAsync().GetAsyncEnumerator())
        {
            Assert.True(await frames.MoveNextAsync().AsTask().DefaultTimeout());   // accepted
            Assert.True(await frames.MoveNextAsync().AsTask().DefaultTimeout());   // the partial: the adapter call is under way
        }

        call.Dispose();

        var adapterCall = Assert.Single(_fleet.AdapterCalls);
        await adapterCall.Cancelled.DefaultTimeout();
        Assert.Equal(StatusCode.Cancelled, await adapterCall.Ended.Task.DefaultTimeout());
        await TestTimeouts.WaitUntilAsync(async () => await RunStateAsync("walked-away") == RunState.Failed);
        Assert.Single(_fleet.AdapterCalls);
    }

    [Fact]
    public async Task Generate_AdaptersWithNoConfiguredAddress_UnavailableNamingTheMissingKeyAndTheRunFails()
    {
        await using var router = await RouterHost.StartAsync(adapter: null, _fleet.Storage.GrpcAddress);

        using var call = router.Client.Generate(new GenerateRequest { Prompt = "x", Config = "gpt-image-1", RunId = "nowhere" });
        var result = await GenerateResult.ReadAsync(call).DefaultTimeout();

        Assert.Equal(StatusCode.Unavailable, result.Status.StatusCode);
        Assert.Contains("services__openai__grpc__0", result.Status.Detail);   // the last fallback, gpt-image-1-mini (after gemini), is the OpenAI adapter's
        Assert.Equal(GenerateFrame.FrameOneofCase.Accepted, result.Frames[0].FrameCase);
        Assert.All(result.Frames.Skip(1), f => Assert.Equal(GenerateFrame.FrameOneofCase.Fallback, f.FrameCase));   // no partial, no final
        Assert.Empty(_fleet.AdapterCalls);
        await TestTimeouts.WaitUntilAsync(async () => await RunStateAsync("nowhere") == RunState.Failed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Generate_LastFinalFrame_LeavesWithTheRunAlreadySucceededWithAllItsUsageInStorage(int images)
    {
        // gates[i] lets the adapter go on after image i; after the last image its stream stays open until released, so
        // nothing after the last image can be what completes the run.
        var gates = Enumerable.Range(0, images).Select(_ => new TaskCompletionSource()).ToArray();
        _fleet.OpenAI.Script("gpt-image-1", async (call, stream, cancellationToken) =>
        {
            for (var index = 0; index < images; index++)
            {
                var final = AdapterScripts.Final(call.Request, index);
                final.Final.Usage = new Usage { OutputImageTokens = 100 };
                await stream.WriteAsync(final, cancellationToken);
                await gates[index].Task.WaitAsync(cancellationToken);
            }
        });
        using var call = _fleet.Client.Generate(new GenerateRequest { Prompt = "x", Config = "gpt-image-1", RunId = $"done-early-{images}", Parameters = new() { N = images } });
        await using var frames = call.ResponseStream.ReadAllAsync().GetAsyncEnumerator();
        var finals = 0;
        while (finals < images)
        {
            Assert.True(await frames.MoveNextAsync().AsTask().DefaultTimeout());
            if (frames.Current.FrameCase == GenerateFrame.FrameOneofCase.Final)
            {
                finals++;
                var run = await _fleet.Storage.Client.GetRunAsync(new GetRunRequest { RunId = $"done-early-{images}" }).DefaultTimeout();
                // Each image is stored with the run's record so far; the last one's frame leaves with the run complete.
                Assert.Equal((finals == images ? RunState.Succeeded : RunState.Running, finals, 100 * finals), (run.State, run.Images.Count, run.Usage.OutputImageTokens));
                gates[finals - 1].SetResult();
            }
        }

        Assert.False(await frames.MoveNextAsync().AsTask().DefaultTimeout());
        var stored = await _fleet.Storage.Client.GetRunAsync(new GetRunRequest { RunId = $"done-early-{images}" }).DefaultTimeout();
        Assert.Equal((RunState.Succeeded, images, 100 * images), (stored.State, stored.Images.Count, stored.Usage.OutputImageTokens));
    }

    /// <summary>The run's state in storage; unspecified while storage does not know it yet (its records are written in the background).</summary>
    private async Task<RunState> RunStateAsync(string runId)
    {
        try
        {
            return (await _fleet.Storage.Client.GetRunAsync(new GetRunRequest { RunId = runId }).DefaultTimeout()).State;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return RunState.Unspecified;
        }
    }
}
