using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Contracts.Provider.V1;
using Pipeline.ServiceDefaults.Security;
using Router.Service.Tests.TestSupport;
using GetRunRequest = Pipeline.Contracts.Storage.V1.GetRunRequest;

namespace Router.Service.Tests.Generation;

/// <summary>
/// The caller's own provider keys: each reaches only the adapter of its own provider, also when a fallback crosses
/// providers; a tenant that may not use the fleet's keys has fallbacks without a key of its own skipped, and says why.
/// </summary>
public sealed class ProviderKeyRoutingTests : IAsyncLifetime
{
    private const string OpenAIKey = "sk-caller-openai-5f1c0e";
    private const string OpenRouterKey = "sk-or-caller-7a9d21";

    private TestFleet _fleet = null!;

    public async ValueTask InitializeAsync() => _fleet = await TestFleet.StartAsync();

    public async ValueTask DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task Generate_CallerOpenAIKeyAndCrossProviderFallback_TheKeyReachesOnlyTheOpenAIAdapter()
    {
        _fleet.OpenAI.Script("gpt-image-1", AdapterScripts.Fail(StatusCode.Unavailable, "down"));
        _fleet.OpenAI.Script("gpt-image-1.5", AdapterScripts.Fail(StatusCode.Unavailable, "down"));

        var result = (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1", RunId = "byok-cross" },
            headers: new Metadata { { ProviderKeyHeaders.OpenAI, OpenAIKey } })).EnsureOk();

        Assert.Equal("gemini-2.5-flash-image", Assert.Single(result.Finals).Config);
        Assert.All(_fleet.OpenAI.Calls, c => Assert.Equal(OpenAIKey, c.Headers.GetValue(ProviderAdapter.ProviderKeyHeader)));
        var openRouterCall = Assert.Single(_fleet.OpenRouter.Calls);
        Assert.Null(openRouterCall.Headers.GetValue(ProviderAdapter.ProviderKeyHeader));   // the fleet's own OpenRouter key serves
        Assert.DoesNotContain(openRouterCall.Headers, h => !h.IsBinary && h.Value.Contains(OpenAIKey, StringComparison.Ordinal));
        Assert.DoesNotContain(OpenAIKey, openRouterCall.Request.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_CallerKeysForBothProviders_EachAdapterGetsItsOwn()
    {
        _fleet.OpenAI.Script("gpt-image-1", AdapterScripts.Fail(StatusCode.Unavailable, "down"));
        _fleet.OpenAI.Script("gpt-image-1.5", AdapterScripts.Fail(StatusCode.Unavailable, "down"));

        (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1" },
            headers: new Metadata { { ProviderKeyHeaders.OpenAI, OpenAIKey }, { ProviderKeyHeaders.OpenRouter, OpenRouterKey } })).EnsureOk();

        Assert.All(_fleet.OpenAI.Calls, c => Assert.Equal(OpenAIKey, c.Headers.GetValue(ProviderAdapter.ProviderKeyHeader)));
        Assert.Equal(OpenRouterKey, Assert.Single(_fleet.OpenRouter.Calls).Headers.GetValue(ProviderAdapter.ProviderKeyHeader));
    }

    [Fact]
    public async Task Generate_TenantWithoutFleetKeys_FallbackWithoutACallerKeyIsSkippedAndTheErrorAndRecordSayWhy()
    {
        foreach (var model in new[] { "gpt-image-1", "gpt-image-1.5", "gpt-image-1-mini" })
        {
            _fleet.OpenAI.Script(model, AdapterScripts.Fail(StatusCode.Unavailable, "down"));
        }
        var headers = new Caller("alpha", FleetProviderKeys: false).AddTo(new Metadata { { ProviderKeyHeaders.OpenAI, OpenAIKey } });

        var result = await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1", RunId = "byok-only" }, headers: headers);

        Assert.Equal(StatusCode.Unavailable, result.Status.StatusCode);
        Assert.Empty(_fleet.OpenRouter.Calls);
        Assert.Contains("gemini-2.5-flash-image: the caller sent no openrouter key (x-provider-key-openrouter) and tenant 'alpha' may not use the fleet's",
            result.Status.Detail, StringComparison.Ordinal);
        await TestTimeouts.WaitUntilAsync(async () => (await GetStoredRunAsync("byok-only")).Attempts.Count == 4);
        var run = await GetStoredRunAsync("byok-only");
        Assert.Equal([("gpt-image-1", AttemptOutcome.Failed), ("gpt-image-1.5", AttemptOutcome.Failed), ("gemini-2.5-flash-image", AttemptOutcome.Skipped),
            ("gpt-image-1-mini", AttemptOutcome.Failed)], run.Attempts.Select(a => (a.Config, a.Outcome)));
        Assert.Equal("alpha", run.Tenant);
    }

    [Fact]
    public async Task Generate_TenantWithoutFleetKeysAndNoCallerKey_FailedPreconditionBeforeAnyFrame()
    {
        var result = await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gemini-2.5-flash-image" },
            headers: new Caller("alpha", FleetProviderKeys: false).AddTo(null));

        Assert.Equal(StatusCode.FailedPrecondition, result.Status.StatusCode);
        Assert.Empty(result.Frames);
        Assert.Empty(_fleet.AdapterCalls);
        Assert.Equal(["gemini-2.5-flash-image", "gpt-image-1-mini"], result.Detail<Google.Rpc.PreconditionFailure>()!.Violations.Select(v => v.Subject));
    }

    [Fact]
    public async Task Generate_ProviderLessKeyHeader_InvalidArgumentNamingTheHeadersToUse()
    {
        var result = await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1" },
            headers: new Metadata { { ProviderKeyHeaders.Unqualified, OpenAIKey } });

        Assert.Equal(StatusCode.InvalidArgument, result.Status.StatusCode);
        Assert.Contains(ProviderKeyHeaders.OpenAI, result.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(OpenAIKey, result.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(_fleet.AdapterCalls);
    }

    [Fact]
    public async Task Generate_WithCallerKeys_NoKeyInTheRouterLogsSpansRunRecordOrFrames()
    {
        var spans = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => spans.Enqueue(a.DisplayName + " " + string.Join(";", a.TagObjects.Concat(a.Events.SelectMany(e => e.Tags)).Select(t => $"{t.Key}={t.Value}"))),
        };
        ActivitySource.AddActivityListener(listener);
        _fleet.OpenAI.Script("gpt-image-1", AdapterScripts.Fail(StatusCode.Unavailable, "down"));
        _fleet.OpenAI.Script("gpt-image-1.5", AdapterScripts.Fail(StatusCode.Unavailable, "down"));

        var result = (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1", RunId = "byok-scan" },
            headers: new Metadata { { ProviderKeyHeaders.OpenAI, OpenAIKey }, { ProviderKeyHeaders.OpenRouter, OpenRouterKey } })).EnsureOk();
        await TestTimeouts.WaitUntilAsync(async () => (await GetStoredRunAsync("byok-scan")).State == Pipeline.Contracts.Storage.V1.RunState.Succeeded);

        var run = (await GetStoredRunAsync("byok-scan")).ToString();
        var restRun = await _fleet.Router.Http.GetStringAsync("/api/runs/byok-scan", TestContext.Current.CancellationToken).DefaultTimeout();
        var logs = string.Join("\n", _fleet.Router.Logs.Select(e => e.Message + " " + e.Exception));
        Assert.Contains(spans, s => s.Contains("pipeline.run_id=byok-scan", StringComparison.Ordinal));   // the listener saw the run's span
        foreach (var key in new[] { OpenAIKey, OpenRouterKey })
        {
            Assert.DoesNotContain(key, run, StringComparison.Ordinal);
            Assert.DoesNotContain(key, restRun, StringComparison.Ordinal);
            Assert.DoesNotContain(key, logs, StringComparison.Ordinal);
            Assert.DoesNotContain(spans, s => s.Contains(key, StringComparison.Ordinal));
            Assert.DoesNotContain(result.Frames, f => f.ToString().Contains(key, StringComparison.Ordinal));
        }
    }

    private Task<Pipeline.Contracts.Storage.V1.RunRecord> GetStoredRunAsync(string runId) =>
        _fleet.Storage.Client.GetRunAsync(new GetRunRequest { RunId = runId }, new Caller("admin", CallerRole.Admin).AddTo(null)).ResponseAsync.DefaultTimeout();
}
