using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AppHost.Tests.Fleet;
using Aspire.Hosting.Testing;
using Grpc.Core;
using Pipeline.Contracts.ImageGen.V1;
using static AppHost.Tests.Fleet.ServerSentEvents;

namespace AppHost.Tests.Security;

/// <summary>
/// Tenants and per-provider keys across the whole fleet, through the gateway as a client meets it: tenant beta sees
/// nothing of tenant alpha on any HTTP or gRPC surface and cannot replay alpha's run; a caller's OpenAI key reaches only
/// the OpenAI provider, also when the run falls back to OpenRouter, and appears in no response, record or trace.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class TenantFleetTests(FleetFixture fleet)
{
    private const string CallerOpenAIKey = "sk-caller-openai-fleet-3c1d";

    /// <summary>ProviderEmulator's EmulatorEventKind.RequestStarted, as its traffic JSON carries it.</summary>
    private const int RequestStartedKind = 0;

    [Fact]
    public async Task TwoTenants_BetaSeesNothingOfAlpha_OnAnySurface_AndCannotReplayItsRun()
    {
        var ct = TestContext.Current.CancellationToken;
        using var alpha = fleet.CreateGatewayClient(FleetFixture.AlphaKey);
        using var beta = fleet.CreateGatewayClient(FleetFixture.BetaKey);
        using var admin = fleet.CreateGatewayClient(FleetFixture.AdminKey);

        // Alpha makes a run over the OpenAI-compatible API and one over gRPC with a run id of its choosing.
        using var generated = await alpha.PostAsync("/v1/images/generations", Json("""{"model":"gpt-image-1","prompt":"alpha's secret garden","quality":"low"}"""), ct).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, generated.StatusCode);
        var body = await generated.Content.ReadFromJsonAsync<JsonElement>(ct).DefaultTimeout();
        var httpImage = body.GetProperty("data")[0].GetProperty("id").GetString()!;
        var httpRun = body.GetProperty("pipeline").GetProperty("run_id").GetString()!;
        var grpcRequest = new GenerateRequest { Prompt = "alpha's secret lake", Config = "gpt-image-1", RunId = $"alpha-{Guid.NewGuid():N}" };
        var (frames, status) = await GrpcClients.GenerateAsync(FleetFixture.GatewayGrpc, FleetFixture.AlphaKey, grpcRequest, ct).DefaultTimeout();
        Assert.Equal(StatusCode.OK, status.StatusCode);
        var grpcImage = frames.Single(f => f.FrameCase == GenerateFrame.FrameOneofCase.Final).Final.ImageId;

        // HTTP: images, a run, the run list: answered as if they did not exist.
        foreach (var image in new[] { httpImage, grpcImage })
        {
            using var theirs = await beta.GetAsync($"/images/{image}", ct).DefaultTimeout();
            using var unknown = await beta.GetAsync($"/images/{image}x", ct).DefaultTimeout();
            Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (theirs.StatusCode, unknown.StatusCode));
            Assert.Equal(WithoutTrace(await unknown.Content.ReadAsStringAsync(ct)).Replace($"{image}x", image, StringComparison.Ordinal),
                WithoutTrace(await theirs.Content.ReadAsStringAsync(ct)));
            Assert.Equal(HttpStatusCode.OK, (await alpha.GetAsync($"/images/{image}", ct).DefaultTimeout()).StatusCode);
        }
        foreach (var run in new[] { httpRun, grpcRequest.RunId })
        {
            using var theirs = await beta.GetAsync($"/api/runs/{run}", ct).DefaultTimeout();
            Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
            Assert.DoesNotContain("secret", await theirs.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
            using var asAdmin = await admin.GetAsync($"/api/runs/{run}", ct).DefaultTimeout();
            Assert.Equal("alpha", (await asAdmin.Content.ReadFromJsonAsync<JsonElement>(ct).DefaultTimeout()).GetProperty("tenant").GetString());
        }
        var betaList = await beta.GetStringAsync("/api/runs?limit=100", ct).DefaultTimeout();
        Assert.DoesNotContain("alpha's secret", betaList, StringComparison.Ordinal);
        Assert.DoesNotContain(httpRun, betaList, StringComparison.Ordinal);
        Assert.DoesNotContain(grpcRequest.RunId, betaList, StringComparison.Ordinal);
        Assert.Contains(httpRun, await alpha.GetStringAsync("/api/runs?limit=100", ct).DefaultTimeout(), StringComparison.Ordinal);

        // Replaying alpha's run id: refused on HTTP and gRPC, with nothing of alpha's run.
        using var replay = await beta.PostAsync("/api/generate",
            Json($$"""{"prompt":"alpha's secret lake","config":"gpt-image-1","run_id":"{{grpcRequest.RunId}}"}"""), ct).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        Assert.DoesNotContain(grpcImage, await replay.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        var (replayFrames, replayStatus) = await GrpcClients.GenerateAsync(FleetFixture.GatewayGrpc, FleetFixture.BetaKey, grpcRequest, ct).DefaultTimeout();
        Assert.Equal(StatusCode.AlreadyExists, replayStatus.StatusCode);
        Assert.Empty(replayFrames);

        // gRPC GetRun: NOT_FOUND for beta, the run for alpha.
        Assert.Equal(StatusCode.NotFound, (await GrpcClients.GetRunAsync(FleetFixture.GatewayGrpc, FleetFixture.BetaKey, grpcRequest.RunId, ct).DefaultTimeout()).Status.StatusCode);
        var own = await GrpcClients.GetRunAsync(FleetFixture.GatewayGrpc, FleetFixture.AlphaKey, grpcRequest.RunId, ct).DefaultTimeout();
        Assert.Equal(("alpha", grpcImage), (own.Run!.Tenant, own.Run.Images.Single().ImageId));
    }

    [Fact]
    public async Task CallerOpenAIKey_NeverReachesOpenRouter_OnACrossProviderFallback_NorAnyResponseRecordOrTrace()
    {
        var ct = TestContext.Current.CancellationToken;
        using var alpha = fleet.CreateGatewayClient(FleetFixture.AlphaKey);
        using var emulator = fleet.App.CreateHttpClient("emulator", "http");
        var since = DateTimeOffset.UtcNow;
        // gpt-image-1 and its fallback gpt-image-1.5 are rate limited, each through the adapter's two retries (3 calls each):
        // the run falls back to gemini through OpenRouter.
        (await emulator.PostAsync("/emulator/faults/rate-limit?calls=6", null, ct).DefaultTimeout()).EnsureSuccessStatusCode();
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations")
        {
            Content = Json("""{"model":"gpt-image-1","prompt":"a paper boat"}"""),   // no quality: gemini takes no quality, so it can serve
        };
        request.Headers.Add("X-Provider-Key-OpenAI", CallerOpenAIKey);
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        using var response = await alpha.SendAsync(request, ct).DefaultTimeout();

        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, text);
        var pipeline = JsonDocument.Parse(text).RootElement.GetProperty("pipeline");
        Assert.Equal(("gemini-2.5-flash-image", "openrouter"), (pipeline.GetProperty("config").GetString(), pipeline.GetProperty("provider").GetString()));
        // Which key reached which provider, as the emulator saw it (it keeps a hash prefix, never the key).
        var traffic = await emulator.GetFromJsonAsync<JsonElement>("/emulator/traffic", ct).DefaultTimeout();
        var started = traffic.EnumerateArray()
            .Where(e => e.GetProperty("kind").GetInt32() == RequestStartedKind && e.GetProperty("at").GetDateTimeOffset() >= since)
            .Select(e => (Path: e.GetProperty("path").GetString(), KeyId: e.GetProperty("keyId").GetString()))
            .ToList();
        Assert.Equal(6, started.Count(e => e.Path == "/v1/images/generations"));
        Assert.All(started.Where(e => e.Path == "/v1/images/generations"), e => Assert.Equal(KeyId(CallerOpenAIKey), e.KeyId));
        var openRouterCall = Assert.Single(started, e => e.Path == "/api/v1/chat/completions");
        Assert.Equal(KeyId(AppHost.PipelineResourceExtensions.EmulatorApiKey), openRouterCall.KeyId);   // the fleet's OpenRouter key, never the caller's OpenAI key

        // The key is in no response, no run record and no span of the request's trace.
        var runId = pipeline.GetProperty("run_id").GetString()!;
        var record = await alpha.GetStringAsync($"/api/runs/{runId}", ct).DefaultTimeout();
        Assert.Contains("ATTEMPT_OUTCOME_FAILED", record, StringComparison.Ordinal);
        using var telemetry = new DashboardTelemetry(fleet.Dashboard, TestTimeouts.Default);
        var spans = await telemetry.WaitForTraceAsync(traceId, s => s.Any(span => span.Service == "openrouter"), ct);
        foreach (var haystack in spans.Select(s => s.Raw.GetRawText()).Append(text).Append(record))
        {
            Assert.DoesNotContain(CallerOpenAIKey, haystack, StringComparison.Ordinal);
        }
    }

    /// <summary>How the emulator's traffic log names a key: the first 12 hex characters of its SHA-256.</summary>
    private static string KeyId(string key) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..12];

    /// <summary>A ProblemDetails body without its per-request trace id.</summary>
    private static string WithoutTrace(string body) =>
        System.Text.RegularExpressions.Regex.Replace(body, "\"traceId\":\"[^\"]*\"", "");
}
