using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Aspire.Hosting.Testing;
using AppHost.Tests.Fleet;
using Grpc.Core;
using Pipeline.Contracts.ImageGen.V1;

namespace AppHost.Tests.Scaled;

/// <summary>
/// The scaled profile is correct with more than one replica: generations spread over the replicas are all stored once,
/// a run id is claimed once across routers, per-key limits hold across gateways, and a router killed mid-load fails only
/// its own streams. The kill runs last: afterwards every caller's connections sit on the surviving router.
/// </summary>
[Collection(ScaledFleetCollection.Name)]
[TestCaseOrderer(typeof(RunsLastOrderer))]
public sealed class ScaledFleetTests(ScaledFleetFixture fleet)
{
    private const string Config = "gpt-image-1";

    [Fact]
    public async Task TwoHundredGenerations_SpreadOverReplicas_TwoHundredStoredImagesWithCorrectRecordsAndNoDuplicates()
    {
        var ct = TestContext.Current.CancellationToken;
        const int count = 200;
        var results = new (string RunId, Final? Final, Status Status)[count];

        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (i, token) =>
        {
            var (frames, status) = await GrpcClients.GenerateAsync(fleet.GatewayGrpc, ScaledFleetFixture.ApiKey,
                new GenerateRequest { Config = Config, Prompt = $"a lighthouse, study {i}" }, token);
            results[i] = (frames.FirstOrDefault(f => f.FrameCase == GenerateFrame.FrameOneofCase.Accepted)?.Accepted.RunId ?? "",
                frames.LastOrDefault(f => f.FrameCase == GenerateFrame.FrameOneofCase.Final)?.Final, status);
        }).WaitAsync(TimeSpan.FromMinutes(5), ct);

        Assert.All(results, r => Assert.True(r.Status.StatusCode == StatusCode.OK && r.Final is not null, $"run {r.RunId}: {r.Status}"));
        Assert.Equal(count, results.Select(r => r.RunId).Distinct().Count());
        Assert.Equal(count, results.Select(r => r.Final!.ImageId).Distinct().Count());
        using var gateway = GatewayClient(ScaledFleetFixture.ApiKey);
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(fleet.GatewayGrpc);
        var api = new ImageGeneration.ImageGenerationClient(channel);
        foreach (var (runId, final, _) in results)
        {
            var run = await api.GetRunAsync(new GetRunRequest { RunId = runId }, GrpcClients.Bearer(ScaledFleetFixture.ApiKey), cancellationToken: ct).ResponseAsync.DefaultTimeout();
            Assert.Equal(RunStatus.Succeeded, run.Status);
            var image = Assert.Single(run.Images);
            Assert.Equal(final!.ImageId, image.ImageId);
            Assert.Equal(final.Storage.Sha256, image.Sha256);
            var bytes = await gateway.GetByteArrayAsync($"/images/{final.ImageId}", ct).DefaultTimeout();
            Assert.Equal(final.Storage.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }

        // Every replica took part: the spans of these runs came from both processes of each replicated service.
        var runIds = results.Select(r => r.RunId).ToHashSet();
        bool OfTheseRuns(TelemetrySpan s) => s.Service != "router" || (s.Attribute("pipeline.run_id") is { } id && runIds.Contains(id));
        var spans = await SpansAsync(2000, spans => ScaledFleetFixture.Replicated.All(service => Instances(spans, service, OfTheseRuns).Count == 2), ct);
        foreach (var service in ScaledFleetFixture.Replicated)
        {
            var instances = Instances(spans, service, OfTheseRuns);
            Assert.True(instances.Count == 2, $"{service}: spans from {instances.Count} process(es) ({string.Join(", ", instances)}); expected both replicas");
        }
    }

    [Fact]
    public async Task SameRunIdSentConcurrentlyToBothRouters_OneProviderCallAndEveryCallerGetsTheSameImage()
    {
        var ct = TestContext.Current.CancellationToken;
        var runId = $"scaled-claim-{Guid.NewGuid():N}";
        using var emulator = EmulatorTraffic.Client(fleet.App);
        var before = await EmulatorRequestsAsync(emulator, ct);

        var calls = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => GrpcClients.GenerateAsync(fleet.GatewayGrpc, ScaledFleetFixture.ApiKey,
            new GenerateRequest { Config = Config, Prompt = "one run, many callers", RunId = runId }, ct))).WaitAsync(TimeSpan.FromMinutes(2), ct);

        Assert.All(calls, c => Assert.Equal(StatusCode.OK, c.Status.StatusCode));
        var images = calls.Select(c => c.Frames.Last(f => f.FrameCase == GenerateFrame.FrameOneofCase.Final).Final.Storage.Sha256).Distinct();
        Assert.Single(images);
        var providerCalls = (await EmulatorRequestsAsync(emulator, ct)).Except(before).ToList();
        Assert.Single(providerCalls);
        // The callers reached both routers: each router's Generate span names the run.
        bool OfTheRun(TelemetrySpan s) => s.Attribute("pipeline.run_id") == runId;
        var spans = await SpansAsync(200, spans => Instances(spans, "router", OfTheRun).Count == 2, ct);
        Assert.Equal(2, Instances(spans, "router", OfTheRun).Count);
    }

    [Fact]
    public async Task PerKeyLimit_RequestsSpreadOverBothGateways_OnlyTheKeysWindowIsServed()
    {
        var ct = TestContext.Current.CancellationToken;
        var statuses = new List<HttpStatusCode>();

        // A new connection per request: DCP's proxy hands each to the next gateway in turn.
        for (var i = 0; i < 2 * ScaledFleetFixture.LimitedRequestsPerWindow; i++)
        {
            using var client = GatewayClient(ScaledFleetFixture.LimitedKey);
            client.DefaultRequestHeaders.ConnectionClose = true;
            using var response = await client.GetAsync("/v1/models", ct).DefaultTimeout();
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(ScaledFleetFixture.LimitedRequestsPerWindow, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(ScaledFleetFixture.LimitedRequestsPerWindow, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, ScaledFleetFixture.LimitedRequestsPerWindow), statuses.Take(ScaledFleetFixture.LimitedRequestsPerWindow));
        static bool ModelsCall(TelemetrySpan s) => s.IsServer && s.Attribute("url.path") == "/v1/models";
        var spans = await SpansAsync(500, spans => Instances(spans, "gateway", ModelsCall).Count == 2, ct);
        Assert.Equal(2, Instances(spans, "gateway", ModelsCall).Count);
    }

    [Fact]
    [RunsLast]
    public async Task RouterKilledMidLoad_OnlyItsStreamsFailWithUnavailableAndTheRestSucceed()
    {
        var ct = TestContext.Current.CancellationToken;
        const int streams = 12;
        var started = new CountdownEvent(streams);
        var runIds = new string?[streams];

        var calls = Enumerable.Range(0, streams).Select(i => GrpcClients.GenerateAndCancelAsync(fleet.GatewayGrpc, ScaledFleetFixture.ApiKey,
            new GenerateRequest { Config = Config, Prompt = $"a slow harbour {i}", Parameters = new GenerationParameters { PartialImages = 3 } }, f =>
            {
                if (f.FrameCase == GenerateFrame.FrameOneofCase.Accepted)
                {
                    runIds[i] = f.Accepted.RunId;
                }
                if (f.FrameCase == GenerateFrame.FrameOneofCase.Partial && f.Partial.PartialIndex == 0)
                {
                    started.Signal();
                }
                return false;
            }, ct)).ToList();
        Assert.True(started.Wait(TestTimeouts.Default, ct), $"only {streams - started.CurrentCount} of {streams} streams reached their first partial");
        var routers = fleet.Instances("router");
        var killed = routers[0];
        Process.GetProcessById(fleet.ProcessId(killed)).Kill();
        var outcomes = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromMinutes(2), ct);

        Assert.All(outcomes, o => Assert.True(o.Status.StatusCode is StatusCode.OK or StatusCode.Unavailable, o.Status.ToString()));
        var failed = Enumerable.Range(0, streams).Where(i => outcomes[i].Status.StatusCode == StatusCode.Unavailable).ToList();
        var succeeded = Enumerable.Range(0, streams).Where(i => outcomes[i].Status.StatusCode == StatusCode.OK).ToList();
        Assert.NotEmpty(failed);
        Assert.NotEmpty(succeeded);
        Assert.All(failed, i => Assert.DoesNotContain(outcomes[i].Frames, f => f.FrameCase == GenerateFrame.FrameOneofCase.Final));
        // The streams that succeeded ran on the surviving router, and every stream the survivor ran succeeded.
        var survivorRuns = RoutersOfRuns(await SpansAsync(1000, spans => succeeded.All(i => RoutersOfRuns(spans).ContainsKey(runIds[i]!)), ct));
        Assert.All(succeeded, i => Assert.True(survivorRuns.ContainsKey(runIds[i]!), $"run {runIds[i]} succeeded but no router reported it"));
        var survivor = survivorRuns[runIds[succeeded[0]]!];
        Assert.All(succeeded, i => Assert.Equal(survivor, survivorRuns[runIds[i]!]));
        Assert.All(failed, i => Assert.False(survivorRuns.TryGetValue(runIds[i] ?? "", out var instance) && instance == survivor,
            $"run {runIds[i]} failed although the surviving router ran it"));
        // The killed router is started again.
        await fleet.WaitHealthyAsync(killed, ct).WaitAsync(TestTimeouts.FleetStartup, ct);
    }

    private HttpClient GatewayClient(string key)
    {
        var client = fleet.App.CreateHttpClient("gateway", "http");
        client.Timeout = TestTimeouts.Default;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>The request ids of the provider image calls the emulator has seen (Images and Responses API).</summary>
    private static async Task<HashSet<string>> EmulatorRequestsAsync(HttpClient emulator, CancellationToken ct) =>
        [.. (await EmulatorTraffic.ReadAsync(emulator, ct))
            .Where(e => e.GetProperty("path").GetString() is { } path && (path.Contains("/images/", StringComparison.Ordinal) || path.EndsWith("/responses", StringComparison.Ordinal)))
            .Select(e => e.GetProperty("requestId").GetString()!)];

    /// <summary>
    /// The dashboard's recent spans (the last <paramref name="traces"/> traces), read again every 500 ms until
    /// <paramref name="done"/> holds for them (exports are batched) or the default timeout passes; the last read either way.
    /// </summary>
    private async Task<IReadOnlyList<TelemetrySpan>> SpansAsync(int traces, Func<IReadOnlyList<TelemetrySpan>, bool> done, CancellationToken ct)
    {
        using var telemetry = new DashboardTelemetry(fleet.Dashboard, TestTimeouts.Default);
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (true)
        {
            var spans = await telemetry.RecentSpansAsync(traces, ct).DefaultTimeout();
            if (done(spans) || DateTime.UtcNow > deadline)
            {
                return spans;
            }
            await Task.Delay(500, ct);
        }
    }

    /// <summary>The processes of <paramref name="service"/> whose spans match <paramref name="match"/>.</summary>
    private static List<string> Instances(IReadOnlyList<TelemetrySpan> spans, string service, Func<TelemetrySpan, bool> match) =>
        [.. spans.Where(s => s.Service == service && s.Instance.Length > 0 && match(s)).Select(s => s.Instance).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The router process(es) that reported each run (spans carrying <c>pipeline.run_id</c>).</summary>
    private static Dictionary<string, string> RoutersOfRuns(IReadOnlyList<TelemetrySpan> spans) =>
        spans.Where(s => s.Service == "router" && s.Attribute("pipeline.run_id") is not null)
            .GroupBy(s => s.Attribute("pipeline.run_id")!)
            .ToDictionary(g => g.Key, g => string.Join(" and ", g.Select(s => s.Instance).Distinct().Order(StringComparer.Ordinal)));
}
