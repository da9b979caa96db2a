using Gateway.Tests.TestSupport;
using Pipeline.Tests.Interop;

namespace Gateway.Tests.Interop;

/// <summary>
/// The public gRPC API as clients no one here wrote see it: python grpcio and grpc-js, building their messages from
/// protos/ at run time, call the gateway's gRPC port (its own health and reflection; ImageGeneration forwarded by YARP
/// to the fake router). Every case runs with both peers.
/// </summary>
public sealed class PublicApiInteropTests : IAsyncLifetime
{
    private const string StreamingConfig = "gpt-image-1_responses";
    private GatewayEnvironment _env = null!;

    public async ValueTask InitializeAsync() => _env = await GatewayEnvironment.StartAsync();

    public async ValueTask DisposeAsync() => await _env.DisposeAsync();

    private InteropPeer Peer(InteropPeerKind kind, string? key = GatewayEnvironment.ApiKey) => new(kind, _env.Gateway.GrpcAddress, key);

    [Theory]
    [InlineData(InteropPeerKind.Python)]
    [InlineData(InteropPeerKind.Node)]
    public async Task Generate_PartialsWithDelays_EachFrameArrivesWhenTheRouterSendsIt(InteropPeerKind kind)
    {
        var delay = TimeSpan.FromMilliseconds(400);
        _env.Router.Script.PartialDelay = delay;

        var result = await Peer(kind).RunAsync("generate", new Dictionary<string, string> { ["config"] = StreamingConfig, ["partials"] = "2", ["prompt"] = "a lighthouse" });

        Assert.Equal("OK", result.Code);
        Assert.Equal(["accepted", "partial", "partial", "final"], result.FrameKinds);
        var arrivals = result.Frames.Select(f => f.GetProperty("t_ms").GetDouble()).ToList();
        // Buffered frames would arrive together; relayed ones arrive as far apart as the router sent them.
        Assert.True(arrivals[1] - arrivals[0] >= delay.TotalMilliseconds / 2, result.ToString());
        Assert.True(arrivals[2] - arrivals[1] >= delay.TotalMilliseconds / 2, result.ToString());
        Assert.All(result.Frames.Where(f => f.GetProperty("frame").GetString() == "partial"), p => Assert.True(p.GetProperty("png").GetBoolean()));
        Assert.Equal([0, 1], result.Frames.Where(f => f.GetProperty("frame").GetString() == "partial").Select(p => p.GetProperty("partial_index").GetInt32()));
        var final = result.Frames[^1];
        Assert.True(final.GetProperty("last").GetBoolean());
        var stored = await _env.Storage.ReadImageAsync(final.GetProperty("image_id").GetString()!).DefaultTimeout();
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stored)), final.GetProperty("sha256").GetString());
        var call = Assert.Single(_env.Router.Calls.All, c => c.Name == "grpc Generate");
        Assert.Null(call.Authorization);
    }

    [Theory]
    [InlineData(InteropPeerKind.Python)]
    [InlineData(InteropPeerKind.Node)]
    public async Task Generate_HeldBeforeFinal_PartialFramesArriveBeforeTheFinalOneExists(InteropPeerKind kind)
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _env.Router.Script.HoldBeforeFinal = hold;
        var partialsSeenWhileHeld = 0;

        var result = await Peer(kind).RunAsync("generate", new Dictionary<string, string> { ["config"] = StreamingConfig, ["partials"] = "2" }, line =>
        {
            if (line.TryGetProperty("frame", out var frame) && frame.GetString() == "partial" && !hold.Task.IsCompleted && ++partialsSeenWhileHeld == 2)
            {
                hold.SetResult();
            }
        });

        Assert.Equal(2, partialsSeenWhileHeld);
        Assert.Equal("OK", result.Code);
        Assert.Equal(["accepted", "partial", "partial", "final"], result.FrameKinds);
        Assert.Equal(StreamingConfig, result.Frames[0].GetProperty("config").GetString());
    }

    [Theory]
    [InlineData(InteropPeerKind.Python)]
    [InlineData(InteropPeerKind.Node)]
    public async Task ListConfigs_German_ReturnsLocalizedCatalogue(InteropPeerKind kind)
    {
        var result = await Peer(kind).RunAsync("list_configs", new Dictionary<string, string> { ["language"] = "de" });

        Assert.Equal("OK", result.Code);
        Assert.Contains(StreamingConfig, InteropAssert.Strings(result.Done.GetProperty("configs")));
        Assert.Contains(FakeCatalogue.GermanDisplayName, InteropAssert.Strings(result.Done.GetProperty("display_names")));
    }

    [Theory]
    [InlineData(InteropPeerKind.Python)]
    [InlineData(InteropPeerKind.Node)]
    public async Task GetRun_AfterGenerate_ReturnsTheStoredRunWithItsImage(InteropPeerKind kind)
    {
        var peer = Peer(kind);
        var generated = await peer.RunAsync("generate", new Dictionary<string, string> { ["config"] = "gpt-image-1", ["partials"] = "0", ["prompt"] = "a red kite" });
        var runId = generated.Frames[0].GetProperty("run_id").GetString()!;

        var result = await peer.RunAsync("get_run", new Dictionary<string, string> { ["run_id"] = runId });

        Assert.Equal("OK", result.Code);
        Assert.Equal((runId, "gpt-image-1", "a red kite", "RUN_STATUS_SUCCEEDED"),
            (result.Done.GetProperty("run_id").GetString(), result.Done.GetProperty("config").GetString(), result.Done.GetProperty("prompt").GetString(), result.Done.GetProperty("status").GetString()));
        var image = Assert.Single(result.Done.GetProperty("images").EnumerateArray());
        Assert.Equal(generated.Frames[^1].GetProperty("image_id").GetString(), image.GetProperty("image_id").GetString());
        Assert.Equal(generated.Frames[^1].GetProperty("sha256").GetString(), image.GetProperty("sha256").GetString());
    }

    [Theory]
    [InlineData(InteropPeerKind.Python)]
    [InlineData(InteropPeerKind.Node)]
    public async Task GetRun_UnknownRun_NotFound(InteropPeerKind kind)
    {
        var result = await Peer(kind).RunAsync("get_run", new Dictionary<string, string> { ["run_id"] = "run-that-never-was" });

        Assert.Equal("NOT_FOUND", result.Code);
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
    public async Task Reflection_ListsAndDescribesImageGeneration(InteropPeerKind kind)
    {
        var result = await Peer(kind).RunAsync("reflection_list");

        InteropAssert.ListsAndDescribesImageGeneration(result);
    }

    [Theory]
    [InlineData(InteropPeerKind.Python)]
    [InlineData(InteropPeerKind.Node)]
    public async Task Generate_SizeNotOffered_InvalidArgumentWithBadRequestInStatusDetails(InteropPeerKind kind)
    {
        var result = await Peer(kind).RunAsync("bad_size", new Dictionary<string, string> { ["config"] = "gpt-image-1", ["size"] = "7x7" });

        InteropAssert.BadSize(result, "7x7");
        Assert.Contains("allowed: auto, 1024x1024", result.Details);
        Assert.Single(_env.Router.Calls.All, c => c.Name == "grpc Generate");
    }

    [Theory]
    [InlineData(InteropPeerKind.Python)]
    [InlineData(InteropPeerKind.Node)]
    public async Task Generate_OneMillisecondDeadline_DeadlineExceededWithoutAFinal(InteropPeerKind kind)
    {
        _env.Router.Script.PartialDelay = TimeSpan.FromMilliseconds(500);

        var result = await Peer(kind).RunAsync("deadline_1ms", new Dictionary<string, string> { ["config"] = StreamingConfig, ["partials"] = "2" });

        Assert.Equal("DEADLINE_EXCEEDED", result.Code);
        Assert.InRange(result.Done.GetProperty("frames").GetInt32(), 0, 1);
        if (_env.Router.Calls.All.Any(c => c.Name == "grpc Generate"))
        {
            // The call got that far before its deadline: the router must see it end, not draw on for nobody.
            await _env.Router.Calls.GenerateCancelled.DefaultTimeout();
        }
    }

    [Theory]
    [InlineData(InteropPeerKind.Python)]
    [InlineData(InteropPeerKind.Node)]
    public async Task Generate_CancelledAfterFirstPartial_PeerSeesCancelledAndRouterObservesIt(InteropPeerKind kind)
    {
        _env.Router.Script.PartialDelay = TimeSpan.FromMilliseconds(500);

        var result = await Peer(kind).RunAsync("cancel_mid_stream", new Dictionary<string, string> { ["config"] = StreamingConfig, ["partials"] = "3" });

        Assert.Equal("CANCELLED", result.Code);
        Assert.Equal(["accepted", "partial"], result.FrameKinds);
        Assert.Contains(result.Observations, o => o.TryGetProperty("cancelled_after", out var after) && after.GetInt32() == 2);
        var cancelled = await _env.Router.Calls.GenerateCancelled.DefaultTimeout();
        Assert.Equal(StreamingConfig, cancelled.Config);
    }

    [Theory]
    [InlineData(InteropPeerKind.Python, null)]
    [InlineData(InteropPeerKind.Python, "pk-not-a-key")]
    [InlineData(InteropPeerKind.Node, null)]
    [InlineData(InteropPeerKind.Node, "pk-not-a-key")]
    public async Task Generate_WithoutValidKey_UnauthenticatedAndRouterSeesNothing(InteropPeerKind kind, string? key)
    {
        var result = await Peer(kind, key).RunAsync("generate", new Dictionary<string, string> { ["config"] = "gpt-image-1", ["partials"] = "0" });

        Assert.Equal("UNAUTHENTICATED", result.Code);
        Assert.Contains("API key", result.Details);
        Assert.Empty(result.Frames);
        Assert.Equal(0, _env.Router.Calls.Count);
    }

    }
