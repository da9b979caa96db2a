using Grpc.Core;
using Pipeline.Contracts.ImageGen.V1;
using Router.Service.Tests.TestSupport;

namespace Router.Service.Tests.Generation;

/// <summary>Run-id idempotency: a completed run id replays its stored result; the same run id twice makes one provider call.</summary>
public sealed class RunReplayerTests : IAsyncLifetime
{
    private TestFleet _fleet = null!;

    public async ValueTask InitializeAsync() => _fleet = await TestFleet.StartAsync();

    public async ValueTask DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task Generate_CompletedRunIdAgain_ReplaysTheStoredImagesWithoutCallingTheAdapter()
    {
        var request = new GenerateRequest { Prompt = "a kite", Config = "gpt-image-1", RunId = "kite-42", Parameters = new() { N = 2 } };
        var first = (await _fleet.GenerateAsync(request)).EnsureOk();

        var second = (await _fleet.GenerateAsync(request.Clone())).EnsureOk();

        Assert.Single(_fleet.AdapterCalls);
        Assert.True(second.Accepted.Replayed);
        Assert.Equal(("kite-42", "gpt-image-1", "openai", "gpt-image-1", 2), (second.Accepted.RunId, second.Accepted.Config, second.Accepted.Provider, second.Accepted.Model, second.Accepted.ImageCount));
        Assert.All(second.Finals, f => Assert.Equal(FinishReason.Replayed, f.FinishReason));
        Assert.Equal(first.Finals.Select(f => (f.ImageIndex, f.ImageId, f.Storage.UrlPath, f.Storage.Sha256, f.Storage.SizeBytes, f.Last)),
            second.Finals.Select(f => (f.ImageIndex, f.ImageId, f.Storage.UrlPath, f.Storage.Sha256, f.Storage.SizeBytes, f.Last)));
        Assert.Empty(second.Partials);
    }

    [Fact]
    public async Task Generate_ReplayOfACompletedRun_ReportsTheOriginalCostAndChargesNothingNew()
    {
        var request = new GenerateRequest { Prompt = "a kite", Config = "gpt-image-1", RunId = "kite-cost", Parameters = new() { N = 2 } };
        var first = (await _fleet.GenerateAsync(request)).EnsureOk();

        var replay = (await _fleet.GenerateAsync(request.Clone())).EnsureOk();

        Assert.All(first.Finals, f => Assert.Equal((11_000L, 11_000L, true), (f.CostUsdMicros, f.ChargedUsdMicros, f.CostKnown)));
        Assert.All(replay.Finals, f => Assert.Equal((11_000L, 0L, true), (f.CostUsdMicros, f.ChargedUsdMicros, f.CostKnown)));
        Assert.Equal(first.Finals.Select(f => (f.Usage.InputTokens, f.Usage.OutputTokens)), replay.Finals.Select(f => (f.Usage.InputTokens, f.Usage.OutputTokens)));
        var run = await _fleet.Storage.Client.GetRunAsync(new Pipeline.Contracts.Storage.V1.GetRunRequest { RunId = "kite-cost" }).DefaultTimeout();
        Assert.Equal(22_000, run.CostUsdMicros);
        Assert.Single(_fleet.AdapterCalls);
    }

    [Fact]
    public async Task Generate_ReplayWithImageData_CarriesTheStoredBytes()
    {
        (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "a kite", Config = "gpt-image-1", RunId = "kite-bytes" })).EnsureOk();

        var replay = (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "a kite", Config = "gpt-image-1", RunId = "kite-bytes", IncludeImageData = true })).EnsureOk();

        Assert.Equal(AdapterScripts.ImageFor(Assert.Single(_fleet.AdapterCalls).Request, 0), Assert.Single(replay.Finals).Data.ToByteArray());
    }

    [Fact]
    public async Task Generate_SameRunIdConcurrently_OneAdapterCallAndBothGetTheImage()
    {
        var release = new TaskCompletionSource();
        _fleet.OpenAI.Script("gpt-image-1", AdapterScripts.After(release.Task, AdapterScripts.Images()));
        var request = new GenerateRequest { Prompt = "a kite", Config = "gpt-image-1", RunId = "kite-concurrent" };

        var first = _fleet.GenerateAsync(request);
        await _fleet.OpenAI.WaitForCallAsync(1);
        var second = _fleet.GenerateAsync(request.Clone());
        await _fleet.Router.WaitForLogAsync(106, "kite-concurrent");   // the second request waits for the first
        release.SetResult();
        var results = await Task.WhenAll(first, second).DefaultTimeout();

        Assert.Single(_fleet.AdapterCalls);
        Assert.All(results, r => r.EnsureOk());
        Assert.Equal([false, true], results.Select(r => r.Accepted.Replayed));
        Assert.Equal(results[0].Finals[0].ImageId, results[1].Finals[0].ImageId);
        Assert.Equal(results[0].Finals[0].Storage.Sha256, results[1].Finals[0].Storage.Sha256);
    }

    [Fact]
    public async Task Generate_FailedRunIdAgain_GeneratesAgain()
    {
        _fleet.OpenAI.Script("gpt-image-1-mini", AdapterScripts.ContentPolicy());
        var request = new GenerateRequest { Prompt = "x", Config = "gpt-image-1-mini", RunId = "retry-me" };
        Assert.Equal(StatusCode.FailedPrecondition, (await _fleet.GenerateAsync(request)).Status.StatusCode);
        _fleet.OpenAI.Script("gpt-image-1-mini", AdapterScripts.Images());

        var second = (await _fleet.GenerateAsync(request.Clone())).EnsureOk();

        Assert.False(second.Accepted.Replayed);
        Assert.Equal(2, _fleet.AdapterCalls.Count);
        Assert.Equal(FinishReason.Stored, Assert.Single(second.Finals).FinishReason);
    }

    [Fact]
    public async Task Generate_NoRunIdTwice_AssignsDistinctRunIdsAndCallsTheAdapterTwice()
    {
        var request = new GenerateRequest { Prompt = "x", Config = "gpt-image-1" };

        var first = (await _fleet.GenerateAsync(request)).EnsureOk();
        var second = (await _fleet.GenerateAsync(request.Clone())).EnsureOk();

        Assert.NotEqual(first.Accepted.RunId, second.Accepted.RunId);
        Assert.Matches("^[0-9a-f]{32}$", first.Accepted.RunId);
        Assert.Equal(2, _fleet.AdapterCalls.Count);
    }

    [Fact]
    public async Task Generate_StorageDownWhenASuppliedRunIdIsChecked_UnavailableAndNoAdapterCall()
    {
        await _fleet.Storage.StopAsync();

        var result = await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1", RunId = "unsure" });

        Assert.Equal(StatusCode.Unavailable, result.Status.StatusCode);
        Assert.Contains("'unsure'", result.Status.Detail);
        Assert.Empty(_fleet.AdapterCalls);
    }
}
