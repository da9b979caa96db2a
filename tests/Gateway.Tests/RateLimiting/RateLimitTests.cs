using System.Net;
using Gateway.Tests.TestSupport;
using Pipeline.Contracts.ImageGen.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gateway.Tests.RateLimiting;

/// <summary>Per-key limits: a window of requests and a cap on concurrent generations, refused before the router.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task Models_ThirdRequestInWindow_429WithRetryAfterAndRouterSawTwo()
    {
        await using var env = await GatewayEnvironment.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:RateLimits:RequestsPerWindow"] = "2",
            ["Gateway:RateLimits:Window"] = "01:00:00",
        });
        using var client = env.Gateway.CreateClient(GatewayEnvironment.ApiKey);

        using var first = await client.GetAsync("/v1/models").DefaultTimeout();
        using var second = await client.GetAsync("/api/configs").DefaultTimeout();
        using var third = await client.GetAsync("/v1/models").DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var error = await OpenAIErrorAssert.EnvelopeAsync(third, HttpStatusCode.TooManyRequests);
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        var retryAfter = int.Parse(third.Headers.GetValues("retry-after").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);
        Assert.Equal(2, env.Router.Calls.Count);
    }

    [Fact]
    public async Task Images_ReadsNotCounted_WindowOnlyCountsApiCalls()
    {
        await using var env = await GatewayEnvironment.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:RateLimits:RequestsPerWindow"] = "2",
            ["Gateway:RateLimits:Window"] = "01:00:00",
        });
        using var client = env.Gateway.CreateClient(GatewayEnvironment.ApiKey);
        using var generated = await client.PostAsJsonAsync("/v1/images/generations", new { prompt = "a fox", model = "gpt-image-1", response_format = "url" }).DefaultTimeout();
        var url = (await generated.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("data")[0].GetProperty("url").GetString()!;

        var reads = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var image = await client.GetAsync(url).DefaultTimeout();
            reads.Add(image.StatusCode);
        }
        using var second = await client.GetAsync("/v1/models").DefaultTimeout();
        using var third = await client.GetAsync("/v1/models").DefaultTimeout();

        Assert.All(reads, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
    }

    [Fact]
    public async Task Models_OtherKeyOverItsLimit_ThisKeyUnaffected()
    {
        await using var env = await GatewayEnvironment.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:RateLimits:RequestsPerWindow"] = "1",
            ["Gateway:RateLimits:Window"] = "01:00:00",
        });
        using var busy = env.Gateway.CreateClient(GatewayEnvironment.ApiKey);
        using var other = env.Gateway.CreateClient(GatewayEnvironment.HashedApiKey);

        using var allowed = await busy.GetAsync("/v1/models").DefaultTimeout();
        using var refused = await busy.GetAsync("/v1/models").DefaultTimeout();
        using var otherKey = await other.GetAsync("/v1/models").DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
    }

    [Fact]
    public async Task Generations_SecondWhileFirstStreams_429AndRouterSawOneGenerate()
    {
        await using var env = await GatewayEnvironment.StartAsync(new Dictionary<string, string?> { ["Gateway:RateLimits:ConcurrentStreams"] = "1" });
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        env.Router.Script.HoldBeforeFinal = hold;
        using var client = env.Gateway.CreateClient(GatewayEnvironment.ApiKey);

        var running = client.PostAsJsonAsync("/v1/images/generations", new { prompt = "first", model = "gpt-image-1" });
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(env.Router.Calls.Generates.Count == 1));
        using var refusedHttp = await client.PostAsJsonAsync("/v1/images/generations", new { prompt = "second", model = "gpt-image-1" }).DefaultTimeout();
        using var refusedSse = await client.PostAsJsonAsync("/api/generate", new { prompt = "third", config = "gpt-image-1" }).DefaultTimeout();
        hold.SetResult();
        using var first = await running.DefaultTimeout();
        using var afterwards = await client.PostAsJsonAsync("/v1/images/generations", new { prompt = "fourth", model = "gpt-image-1" }).DefaultTimeout();

        var error = await OpenAIErrorAssert.EnvelopeAsync(refusedHttp, HttpStatusCode.TooManyRequests);
        Assert.Contains("at most 1 at once", error.GetProperty("message").GetString());
        Assert.True(refusedHttp.Headers.Contains("retry-after"));
        await OpenAIErrorAssert.EnvelopeAsync(refusedSse, HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        Assert.Equal(["first", "fourth"], env.Router.Calls.Generates.Select(g => g.Prompt));
    }

    [Fact]
    public async Task Grpc_OverTheWindow_ResourceExhaustedWithRetryInfo()
    {
        await using var env = await GatewayEnvironment.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:RateLimits:RequestsPerWindow"] = "1",
            ["Gateway:RateLimits:Window"] = "01:00:00",
        });
        using var channel = GrpcChannel.ForAddress(env.Gateway.GrpcAddress);
        var client = new ImageGeneration.ImageGenerationClient(channel);
        var options = new CallOptions(headers: new Metadata { { "authorization", "Bearer " + GatewayEnvironment.ApiKey } }, deadline: DateTime.UtcNow + TestTimeouts.Default);

        await client.ListConfigsAsync(new ListConfigsRequest(), options).ResponseAsync.DefaultTimeout();
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.ListConfigsAsync(new ListConfigsRequest(), options).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.True(refused.GetRpcStatus()?.GetDetail<Google.Rpc.RetryInfo>()?.RetryDelay.Seconds > 0);
        Assert.Single(env.Router.Calls.All);
    }

    [Fact]
    public async Task Generations_RefusedByConcurrencyCap_UsesOneWindowPermit()
    {
        await using var env = await GatewayEnvironment.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:RateLimits:RequestsPerWindow"] = "3",
            ["Gateway:RateLimits:Window"] = "01:00:00",
            ["Gateway:RateLimits:ConcurrentStreams"] = "1",
        });
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        env.Router.Script.HoldBeforeFinal = hold;
        using var client = env.Gateway.CreateClient(GatewayEnvironment.ApiKey);

        var running = client.PostAsJsonAsync("/v1/images/generations", new { prompt = "first", model = "gpt-image-1" });
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(env.Router.Calls.Generates.Count == 1));
        using var refused = await client.PostAsJsonAsync("/v1/images/generations", new { prompt = "second", model = "gpt-image-1" }).DefaultTimeout();
        hold.SetResult();
        using var first = await running.DefaultTimeout();
        using var third = await client.GetAsync("/v1/models").DefaultTimeout();
        using var fourth = await client.GetAsync("/v1/models").DefaultTimeout();

        var error = await OpenAIErrorAssert.EnvelopeAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Contains("at most 1 at once", error.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        var overWindow = await OpenAIErrorAssert.EnvelopeAsync(fourth, HttpStatusCode.TooManyRequests);
        Assert.Contains("3 requests per 3600 s", overWindow.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Models_RefusedLateInWindow_RetryAfterIsTimeLeftThenServed()
    {
        var clock = new ManualTimeProvider();
        await using var env = await GatewayEnvironment.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:RateLimits:RequestsPerWindow"] = "1",
            ["Gateway:RateLimits:Window"] = "00:01:00",
        }, time: clock);
        using var client = env.Gateway.CreateClient(GatewayEnvironment.ApiKey);

        using var first = await client.GetAsync("/v1/models").DefaultTimeout();
        clock.Advance(TimeSpan.FromSeconds(45));
        using var refused = await client.GetAsync("/v1/models").DefaultTimeout();
        clock.Advance(TimeSpan.FromSeconds(14));
        using var stillRefused = await client.GetAsync("/v1/models").DefaultTimeout();
        clock.Advance(TimeSpan.FromSeconds(1));
        using var nextWindow = await client.GetAsync("/v1/models").DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await OpenAIErrorAssert.EnvelopeAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal("15", refused.Headers.GetValues("retry-after").Single());
        Assert.Equal("1", stillRefused.Headers.GetValues("retry-after").Single());
        Assert.Equal(HttpStatusCode.OK, nextWindow.StatusCode);
    }
}
