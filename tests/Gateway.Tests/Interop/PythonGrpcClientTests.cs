using Gateway.Tests.TestSupport;

namespace Gateway.Tests.Interop;

/// <summary>A python grpcio client built from our .proto calls the public gRPC API through the gateway's gRPC port.</summary>
public sealed class PythonGrpcClientTests : IAsyncLifetime
{
    private GatewayEnvironment _env = null!;

    public async ValueTask InitializeAsync() => _env = await GatewayEnvironment.StartAsync();

    public async ValueTask DisposeAsync() => await _env.DisposeAsync();

    [Fact]
    public async Task Generate_ThroughGateway_PartialFramesArriveBeforeTheFinalOneExists()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _env.Router.Script.HoldBeforeFinal = hold;
        await using var client = await PythonImageGenClient.StartAsync(_env.Gateway.GrpcAddress, GatewayEnvironment.ApiKey,
            "generate", "a lighthouse", "gpt-image-1_responses", "2");

        var accepted = await client.NextAsync();
        var partials = new[] { await client.NextAsync(), await client.NextAsync() };
        hold.SetResult();
        var rest = await client.ReadToEndAsync();

        Assert.Equal("accepted", accepted.GetProperty("frame").GetString());
        Assert.Equal("gpt-image-1_responses", accepted.GetProperty("config").GetString());
        Assert.All(partials, p => Assert.Equal("partial", p.GetProperty("frame").GetString()));
        Assert.All(partials, p => Assert.True(p.GetProperty("png").GetBoolean()));
        Assert.Equal([0, 1], partials.Select(p => p.GetProperty("partial_index").GetInt32()));
        var final = rest[0];
        Assert.Equal("final", final.GetProperty("frame").GetString());
        Assert.True(final.GetProperty("last").GetBoolean());
        var stored = await _env.Storage.ReadImageAsync(final.GetProperty("image_id").GetString()!).DefaultTimeout();
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stored)), final.GetProperty("sha256").GetString());
        Assert.Equal("OK", rest[^1].GetProperty("code").GetString());
        var call = Assert.Single(_env.Router.Calls.All, c => c.Name == "grpc Generate");
        Assert.Null(call.Authorization);
    }

    [Fact]
    public async Task ListConfigs_ThroughGateway_ReturnsLocalizedCatalogue()
    {
        await using var client = await PythonImageGenClient.StartAsync(_env.Gateway.GrpcAddress, GatewayEnvironment.ApiKey, "list_configs");

        var done = await client.NextAsync();

        Assert.Equal("OK", done.GetProperty("code").GetString());
        Assert.Contains("gpt-image-1_responses", done.GetProperty("configs").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains(FakeCatalogue.GermanDisplayName, done.GetProperty("display_names").EnumerateArray().Select(c => c.GetString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("pk-not-a-key")]
    public async Task Generate_WithoutValidKey_UnauthenticatedAndRouterSeesNothing(string? key)
    {
        await using var client = await PythonImageGenClient.StartAsync(_env.Gateway.GrpcAddress, key, "generate", "x", "gpt-image-1", "0");

        var done = await client.NextAsync();

        Assert.Equal("UNAUTHENTICATED", done.GetProperty("code").GetString());
        Assert.Contains("API key", done.GetProperty("details").GetString());
        Assert.Equal(0, _env.Router.Calls.Count);
    }
}
