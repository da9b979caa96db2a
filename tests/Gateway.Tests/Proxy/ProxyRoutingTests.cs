using System.Net;
using System.Text.Json;
using Gateway.Tests.TestSupport;
using Pipeline.Contracts.ImageGen.V1;
using Grpc.Core;
using Pipeline.ServiceDefaults.Grpc;
using Grpc.Net.Client;
using Gateway.Proxy;

namespace Gateway.Tests.Proxy;

/// <summary>YARP's routes: the router's HTTP API under /api/, images from storage, gRPC over h2c, streams frame by frame.</summary>
public sealed class ProxyRoutingTests : IAsyncLifetime
{
    private GatewayEnvironment _env = null!;

    public async ValueTask InitializeAsync() => _env = await GatewayEnvironment.StartAsync();

    public async ValueTask DisposeAsync() => await _env.DisposeAsync();

    [Fact]
    public async Task ApiConfigs_ForwardedWithQueryAndWithoutTheKey()
    {
        using var client = _env.Gateway.CreateClient(GatewayEnvironment.ApiKey);

        using var response = await client.GetAsync("/api/configs?language=de").DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(FakeCatalogue.GermanDisplayName, json.RootElement.GetProperty("configs").EnumerateArray().Select(c => c.GetProperty("displayName").GetString()));
        var call = Assert.Single(_env.Router.Calls.All);
        Assert.Equal(("GET /api/configs", "?language=de"), (call.Name, call.Query));
        Assert.Null(call.Authorization);
    }

    [Fact]
    public async Task ApiGenerate_EventsPassOneByOne_PartialBeforeTheFinalExists()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _env.Router.Script.HoldBeforeFinal = hold;
        using var client = _env.Gateway.CreateClient(GatewayEnvironment.ApiKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/generate") { Content = JsonContent.Create(new { prompt = "a fox", config = "gpt-image-1", parameters = new { partialImages = 1 } }) };

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<(string Name, JsonElement Data)>();
        while (await ReadEventAsync(reader).DefaultTimeout() is { } item)
        {
            events.Add(item);
            if (item.Name == "partial")
            {
                hold.SetResult();
            }
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["accepted", "partial", "final"], events.Select(e => e.Name));
        var final = events[2].Data;
        var bytes = await _env.Storage.ReadImageAsync(final.GetProperty("imageId").GetString()!).DefaultTimeout();
        TestImages.AssertPng(bytes, 48, 48);
    }

    [Fact]
    public async Task ApiGenerate_Fallback_FallbackEventPassesBeforeTheFinal()
    {
        _env.Router.Script.FallbackTo = "gemini-2.5-flash-image";
        using var client = _env.Gateway.CreateClient(GatewayEnvironment.ApiKey);

        using var response = await client.PostAsJsonAsync("/api/generate", new { prompt = "a fox", config = "gpt-image-1" }).DefaultTimeout();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync().DefaultTimeout());
        var events = new List<(string Name, JsonElement Data)>();
        while (await ReadEventAsync(reader).DefaultTimeout() is { } item)
        {
            events.Add(item);
        }

        Assert.Equal(["accepted", "fallback", "final"], events.Select(e => e.Name));
        Assert.Equal(("gpt-image-1", "gemini-2.5-flash-image", "gemini-2.5-flash-image"),
            (events[0].Data.GetProperty("config").GetString(), events[1].Data.GetProperty("config").GetString(), events[2].Data.GetProperty("config").GetString()));
    }

    [Fact]
    public async Task Images_WithKey_BytesFromStorageCachedPrivately()
    {
        using var client = _env.Gateway.CreateClient(GatewayEnvironment.ApiKey);
        using var generated = await client.PostAsJsonAsync("/v1/images/generations", new { prompt = "a fox", model = "gpt-image-1", response_format = "url" }).DefaultTimeout();
        var url = (await generated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data")[0].GetProperty("url").GetString()!;

        using var image = await client.GetAsync(url).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.StartsWith(_env.Gateway.HttpAddress.ToString(), url);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal("private, max-age=31536000, immutable", image.Headers.NonValidated["Cache-Control"].ToString());
        var id = url[(url.LastIndexOf('/') + 1)..];
        Assert.Equal(await _env.Storage.ReadImageAsync(id).DefaultTimeout(), await image.Content.ReadAsByteArrayAsync());
        Assert.False(Assert.Single(_env.Router.Calls.Generates).IncludeImageData);
    }

    [Fact]
    public async Task Grpc_Generate_FramesRelayedAsTheyArrive()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _env.Router.Script.HoldBeforeFinal = hold;
        using var channel = GrpcChannel.ForAddress(_env.Gateway.GrpcAddress);
        var client = new ImageGeneration.ImageGenerationClient(channel);

        using var call = client.Generate(new GenerateRequest { Prompt = "a fox", Config = "gpt-image-1_responses" },
            headers: new Metadata { { "authorization", "Bearer " + GatewayEnvironment.ApiKey } }, deadline: DateTime.UtcNow + TestTimeouts.Default);
        var frames = new List<GenerateFrame>();
        await foreach (var frame in call.ResponseStream.ReadAllAsync(TestTimeouts.Token()))
        {
            frames.Add(frame);
            if (frames.Count(f => f.FrameCase == GenerateFrame.FrameOneofCase.Partial) == 2)
            {
                hold.TrySetResult();
            }
        }

        Assert.Equal(
            [GenerateFrame.FrameOneofCase.Accepted, GenerateFrame.FrameOneofCase.Partial, GenerateFrame.FrameOneofCase.Partial, GenerateFrame.FrameOneofCase.Final],
            frames.Select(f => f.FrameCase));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Grpc_RouterStatus_PassesThroughUnchanged()
    {
        _env.Router.Script.FailBeforeAccepted = RichStatus.Create(StatusCode.InvalidArgument, "size '7x7' is not allowed; allowed: 1024x1024",
            new Google.Rpc.BadRequest { FieldViolations = { new Google.Rpc.BadRequest.Types.FieldViolation { Field = "parameters.size", Description = "not allowed" } } }).ToRpcException();
        using var channel = GrpcChannel.ForAddress(_env.Gateway.GrpcAddress);
        var client = new ImageGeneration.ImageGenerationClient(channel);

        using var call = client.Generate(new GenerateRequest { Prompt = "x", Config = "gpt-image-1" },
            headers: new Metadata { { "authorization", "Bearer " + GatewayEnvironment.ApiKey } }, deadline: DateTime.UtcNow + TestTimeouts.Default);
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in call.ResponseStream.ReadAllAsync(TestTimeouts.Token()))
            {
            }
        }).DefaultTimeout();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("size '7x7' is not allowed; allowed: 1024x1024", error.Status.Detail);
        Assert.Equal("parameters.size", error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations[0].Field);
    }

    [Fact]
    public void ForwarderClients_TheGatewaysOwnFactory_SpreadsCallsOverConnections()
    {
        Assert.IsType<SpreadingForwarderHttpClientFactory>(_env.Gateway.Services.GetRequiredService<Yarp.ReverseProxy.Forwarder.IForwarderHttpClientFactory>());
    }

    [Fact]
    public async Task Grpc_RouterDiesMidStream_CallerGetsTheFramesSentThenUnavailable()
    {
        _env.Router.Script.DieAfterFrames = 2;
        using var channel = GrpcChannel.ForAddress(_env.Gateway.GrpcAddress);
        var client = new ImageGeneration.ImageGenerationClient(channel);

        using var call = client.Generate(new GenerateRequest { Prompt = "a fox", Config = "gpt-image-1_responses" },
            headers: new Metadata { { "authorization", "Bearer " + GatewayEnvironment.ApiKey } }, deadline: DateTime.UtcNow + TestTimeouts.Default);
        var frames = new List<GenerateFrame>();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var frame in call.ResponseStream.ReadAllAsync(TestTimeouts.Token()))
            {
                frames.Add(frame);
            }
        }).DefaultTimeout();

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal([GenerateFrame.FrameOneofCase.Accepted, GenerateFrame.FrameOneofCase.Partial], frames.Select(f => f.FrameCase));
        Assert.Equal(Gateway.Proxy.BackendLossTrailers.Message, error.Status.Detail);
    }

    private static async Task<(string Name, JsonElement Data)?> ReadEventAsync(StreamReader reader)
    {
        string? name = null;
        string? data = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0 && data is not null)
            {
                return (name ?? "message", JsonDocument.Parse(data).RootElement.Clone());
            }
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
        }
        return null;
    }
}
