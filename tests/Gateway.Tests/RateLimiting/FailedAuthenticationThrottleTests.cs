using System.Net;
using Gateway.Tests.TestSupport;
using Grpc.Core;
using Grpc.Net.Client;
using Pipeline.Contracts.ImageGen.V1;

namespace Gateway.Tests.RateLimiting;

/// <summary>Calls without a valid key are throttled per client address; valid keys from the same address are not.</summary>
public sealed class FailedAuthenticationThrottleTests
{
    private const string WrongKey = "pk-test-wrong-key-0000000000000000000000";

    [Fact]
    public async Task WrongKeys_PastTheLimit_429WithTimeLeftAndValidKeyStillServed()
    {
        var clock = new ManualTimeProvider();
        await using var env = await GatewayEnvironment.StartAsync(new Dictionary<string, string?> { ["Gateway:RateLimits:FailedAuthenticationsPerMinute"] = "3" }, time: clock);
        using var wrong = env.Gateway.CreateClient(WrongKey);
        using var none = env.Gateway.CreateClient(null);
        using var valid = env.Gateway.CreateClient(GatewayEnvironment.ApiKey);

        var allowed = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var attempt = await wrong.GetAsync("/v1/models").DefaultTimeout();
            allowed.Add(attempt.StatusCode);
        }
        clock.Advance(TimeSpan.FromSeconds(20));
        using var throttled = await wrong.GetAsync("/v1/models").DefaultTimeout();
        using var throttledWithoutKey = await none.GetAsync("/api/configs").DefaultTimeout();
        using var realKey = await valid.GetAsync("/v1/models").DefaultTimeout();
        clock.Advance(TimeSpan.FromSeconds(40));
        using var nextMinute = await wrong.GetAsync("/v1/models").DefaultTimeout();

        Assert.All(allowed, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        var error = await OpenAIErrorAssert.EnvelopeAsync(throttled, HttpStatusCode.TooManyRequests);
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("40", throttled.Headers.GetValues("retry-after").Single());
        Assert.DoesNotContain(WrongKey, await throttled.Content.ReadAsStringAsync().DefaultTimeout(), StringComparison.Ordinal);
        await OpenAIErrorAssert.EnvelopeAsync(throttledWithoutKey, HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, realKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, nextMinute.StatusCode);
    }

    [Fact]
    public async Task PublicPages_NeedNoKey_NotCounted()
    {
        await using var env = await GatewayEnvironment.StartAsync(new Dictionary<string, string?> { ["Gateway:RateLimits:FailedAuthenticationsPerMinute"] = "1" });
        using var none = env.Gateway.CreateClient(null);

        var pages = new List<HttpStatusCode>();
        foreach (var path in new[] { "/", "/health", "/alive", "/" })
        {
            using var page = await none.GetAsync(path).DefaultTimeout();
            pages.Add(page.StatusCode);
        }
        using var first = await none.GetAsync("/v1/models").DefaultTimeout();
        using var second = await none.GetAsync("/v1/models").DefaultTimeout();

        Assert.All(pages, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
    }

    [Fact]
    public async Task Grpc_WrongKeysPastTheLimit_ResourceExhaustedWithRetryInfo()
    {
        await using var env = await GatewayEnvironment.StartAsync(new Dictionary<string, string?> { ["Gateway:RateLimits:FailedAuthenticationsPerMinute"] = "1" });
        using var channel = GrpcChannel.ForAddress(env.Gateway.GrpcAddress);
        var client = new ImageGeneration.ImageGenerationClient(channel);
        CallOptions Options(string key) => new(headers: new Metadata { { "authorization", "Bearer " + key } }, deadline: DateTime.UtcNow + TestTimeouts.Default);

        var first = await Assert.ThrowsAsync<RpcException>(() => client.ListConfigsAsync(new ListConfigsRequest(), Options(WrongKey)).ResponseAsync).DefaultTimeout();
        var second = await Assert.ThrowsAsync<RpcException>(() => client.ListConfigsAsync(new ListConfigsRequest(), Options(WrongKey)).ResponseAsync).DefaultTimeout();
        await client.ListConfigsAsync(new ListConfigsRequest(), Options(GatewayEnvironment.ApiKey)).ResponseAsync.DefaultTimeout();

        Assert.Equal(StatusCode.Unauthenticated, first.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, second.StatusCode);
        Assert.True(second.GetRpcStatus()?.GetDetail<Google.Rpc.RetryInfo>()?.RetryDelay.Seconds > 0);
        Assert.Single(env.Router.Calls.All);
    }
}
