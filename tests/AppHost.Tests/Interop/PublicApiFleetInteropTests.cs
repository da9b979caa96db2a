using System.Text.Json;
using AppHost.Tests.Fleet;
using Aspire.Hosting.Testing;
using Pipeline.Tests.Interop;

namespace AppHost.Tests.Interop;

/// <summary>
/// The public gRPC API of the whole fleet as clients no one here wrote see it: python grpcio and grpc-js, building their
/// messages from protos/ at run time, call the gateway's gRPC endpoint (h2c) with the fleet's API key; behind
/// it the real router, OpenAI adapter, storage and the provider emulator (partials 1 s apart). Every case runs with both peers.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class PublicApiFleetInteropTests(FleetFixture fleet)
{
    private const string Config = "gpt-image-1";

    /// <summary>The emulator's per-partial delay is 1 s (<see cref="FleetFixture"/>); relayed frames arrive at least half that apart.</summary>
    private static readonly TimeSpan MinimumGap = TimeSpan.FromMilliseconds(500);

    /// <summary>The gateway's public gRPC address, as users reach it (the fixture keeps the AppHost's stable ports).</summary>
    private const string PublicGrpcTarget = "127.0.0.1:8081";

    /// <summary>A peer of the gateway's public gRPC port.</summary>
    private InteropPeer Peer(InteropPeerKind kind)
    {
        Assert.Equal(new Uri("http://" + PublicGrpcTarget), fleet.App.GetEndpoint("gateway", "grpc"));
        return new(kind, PublicGrpcTarget, FleetFixture.ApiKey);
    }

    [Theory]
    [InlineData(InteropPeerKind.Python)]
    [InlineData(InteropPeerKind.Node)]
    public async Task Generate_TwoPartials_EachFrameArrivesWhenTheEmulatorSendsItThenAStoredFinal(InteropPeerKind kind)
    {
        var result = await Peer(kind).RunAsync("generate", new Dictionary<string, string> { ["config"] = Config, ["partials"] = "2", ["prompt"] = "a lighthouse" });

        Assert.Equal("OK", result.Code);
        Assert.Equal(["accepted", "partial", "partial", "final"], result.FrameKinds);
        var arrivals = result.Frames.Select(f => f.GetProperty("t_ms").GetDouble()).ToList();
        // Buffered frames would arrive together at the end; relayed ones arrive as far apart as the emulator sent them.
        for (var i = 1; i < arrivals.Count; i++)
        {
            Assert.True(arrivals[i] - arrivals[i - 1] >= MinimumGap.TotalMilliseconds, $"frame {i} came {arrivals[i] - arrivals[i - 1]} ms after frame {i - 1}{Environment.NewLine}{result}");
        }
        var partials = result.Frames.Where(f => f.GetProperty("frame").GetString() == "partial").ToList();
        Assert.All(partials, p => Assert.True(p.GetProperty("png").GetBoolean()));
        Assert.Equal([0, 1], partials.Select(p => p.GetProperty("partial_index").GetInt32()));
        var final = result.Frames[^1];
        Assert.True(final.GetProperty("last").GetBoolean());
        using var gateway = fleet.CreateGatewayClient();
        var stored = await gateway.GetByteArrayAsync($"/images/{final.GetProperty("image_id").GetString()}", TestContext.Current.CancellationToken).DefaultTimeout();
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stored)), final.GetProperty("sha256").GetString());
    }

    [Theory]
    [InlineData(InteropPeerKind.Python)]
    [InlineData(InteropPeerKind.Node)]
    public async Task ListConfigs_RealCatalogue_ListsTheShippedConfigs(InteropPeerKind kind)
    {
        var result = await Peer(kind).RunAsync("list_configs", new Dictionary<string, string> { ["language"] = "de" });

        Assert.Equal("OK", result.Code);
        var configs = InteropAssert.Strings(result.Done.GetProperty("configs"));
        Assert.Contains(Config, configs);
        Assert.Contains("gpt-image-1_responses", configs);
        Assert.Contains("GPT Image 1 (Live-Vorschau)", InteropAssert.Strings(result.Done.GetProperty("display_names")));
    }

    [Fact]
    public async Task ListConfigs_Python_CarriesEachConfigsRulesForAForm()
    {
        var result = await Peer(InteropPeerKind.Python).RunAsync("list_configs");

        Assert.Equal("OK", result.Code);
        var rules = result.Done.GetProperty("rules");
        var edit = rules.GetProperty("gpt-image-1_edit");
        Assert.Equal((16, true), (edit.GetProperty("max_input_images").GetInt32(), edit.GetProperty("mask").GetBoolean()));
        Assert.Contains("1024x1024", InteropAssert.Strings(rules.GetProperty(Config).GetProperty("sizes")));
        Assert.NotEmpty(rules.GetProperty(Config).GetProperty("icon").GetString()!);
    }

    [Fact]
    public async Task ListRunsAndRegenerate_Python_ThroughTheGateway_TheNewRunNamesItsParent()
    {
        var peer = Peer(InteropPeerKind.Python);
        var generated = await peer.RunAsync("generate", new Dictionary<string, string> { ["config"] = Config, ["partials"] = "0", ["prompt"] = "a paper crane" });
        Assert.Equal("OK", generated.Code);
        var parent = generated.Frames[0].GetProperty("run_id").GetString()!;

        var regenerated = await peer.RunAsync("regenerate", new Dictionary<string, string> { ["run_id"] = parent, ["size"] = "1536x1024" });
        var listed = await peer.RunAsync("list_runs", new Dictionary<string, string> { ["page_size"] = "5" });

        Assert.Equal(("OK", parent), (regenerated.Code, regenerated.Done.GetProperty("parent_run_id").GetString()));
        var child = regenerated.Frames[0].GetProperty("run_id").GetString()!;
        Assert.Equal("OK", listed.Code);
        var runs = listed.Done.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal((child, parent, "a paper crane"), (runs[0].GetProperty("run_id").GetString(), runs[0].GetProperty("parent_run_id").GetString(), runs[0].GetProperty("prompt").GetString()));
        Assert.Equal(parent, runs[1].GetProperty("run_id").GetString());
    }

    [Theory]
    [InlineData(InteropPeerKind.Python)]
    [InlineData(InteropPeerKind.Node)]
    public async Task GetRun_AfterGenerate_ReturnsTheStoredRunWithItsImage(InteropPeerKind kind)
    {
        var peer = Peer(kind);
        var generated = await peer.RunAsync("generate", new Dictionary<string, string> { ["config"] = Config, ["partials"] = "0", ["prompt"] = "a red kite" });
        Assert.Equal("OK", generated.Code);
        var runId = generated.Frames[0].GetProperty("run_id").GetString()!;

        var result = await peer.RunAsync("get_run", new Dictionary<string, string> { ["run_id"] = runId });

        Assert.Equal("OK", result.Code);
        Assert.Equal((runId, Config, "a red kite", "RUN_STATUS_SUCCEEDED"),
            (result.Done.GetProperty("run_id").GetString(), result.Done.GetProperty("config").GetString(), result.Done.GetProperty("prompt").GetString(), result.Done.GetProperty("status").GetString()));
        var image = Assert.Single(result.Done.GetProperty("images").EnumerateArray());
        Assert.Equal(generated.Frames[^1].GetProperty("image_id").GetString(), image.GetProperty("image_id").GetString());
        Assert.Equal(generated.Frames[^1].GetProperty("sha256").GetString(), image.GetProperty("sha256").GetString());
    }

    [Theory]
    [InlineData(InteropPeerKind.Python)]
    [InlineData(InteropPeerKind.Node)]
    public async Task HealthCheck_GatewayPort_Serving(InteropPeerKind kind)
    {
        var result = await Peer(kind).RunAsync("health_check");

        InteropAssert.Serving(result);
    }

    [Theory]
    [InlineData(InteropPeerKind.Python)]
    [InlineData(InteropPeerKind.Node)]
    public async Task Reflection_GatewayPort_ListsAndDescribesImageGeneration(InteropPeerKind kind)
    {
        var result = await Peer(kind).RunAsync("reflection_list");

        InteropAssert.ListsAndDescribesImageGeneration(result);
    }

    [Theory]
    [InlineData(InteropPeerKind.Python)]
    [InlineData(InteropPeerKind.Node)]
    public async Task Generate_SizeNotOffered_RouterValidationArrivesAsInvalidArgumentWithBadRequest(InteropPeerKind kind)
    {
        var result = await Peer(kind).RunAsync("bad_size", new Dictionary<string, string> { ["config"] = Config, ["size"] = "7x7" });

        InteropAssert.BadSize(result, "7x7");
    }

    [Theory]
    [InlineData(InteropPeerKind.Python)]
    [InlineData(InteropPeerKind.Node)]
    public async Task Generate_OneMillisecondDeadline_DeadlineExceededWithoutAFinal(InteropPeerKind kind)
    {
        var result = await Peer(kind).RunAsync("deadline_1ms", new Dictionary<string, string> { ["config"] = Config, ["partials"] = "2" });

        Assert.Equal("DEADLINE_EXCEEDED", result.Code);
        Assert.InRange(result.Done.GetProperty("frames").GetInt32(), 0, 1);
    }

    [Theory]
    [InlineData(InteropPeerKind.Python)]
    [InlineData(InteropPeerKind.Node)]
    public async Task Generate_CancelledAfterFirstPartial_PeerSeesCancelledAndTheEmulatorSeesTheProviderCallDisconnect(InteropPeerKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        using var emulator = EmulatorTraffic.Client(fleet);
        var before = await EmulatorTraffic.RequestIdsAsync(emulator, ct);

        var result = await Peer(kind).RunAsync("cancel_mid_stream", new Dictionary<string, string> { ["config"] = Config, ["partials"] = "3" });

        Assert.Equal("CANCELLED", result.Code);
        Assert.Equal(["accepted", "partial"], result.FrameKinds);
        Assert.Contains(result.Observations, o => o.TryGetProperty("cancelled_after", out var after) && after.GetInt32() == 2);
        // The cancellation travels gateway → router → adapter → provider: the emulator sees the streamed call go away.
        var disconnected = await EmulatorTraffic.WaitForAsync(emulator, e => !before.Contains(e.GetProperty("requestId").GetString()) && IsClientDisconnected(e), ct);
        Assert.Equal("/v1/images/generations", disconnected.GetProperty("path").GetString());
    }

    private static bool IsClientDisconnected(JsonElement e) => e.GetProperty("kind").GetRawText() is "2" or "\"ClientDisconnected\"";

    }
