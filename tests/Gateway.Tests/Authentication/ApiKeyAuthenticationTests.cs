using System.Net;
using Gateway.Tests.TestSupport;
using Pipeline.Contracts.ImageGen.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gateway.Tests.Authentication;

/// <summary>Every API route needs <c>Authorization: Bearer &lt;key&gt;</c>; the page and health checks do not; no key ever reaches a backend.</summary>
public sealed class ApiKeyAuthenticationTests : IAsyncLifetime
{
    private GatewayEnvironment _env = null!;

    public async ValueTask InitializeAsync() => _env = await GatewayEnvironment.StartAsync();

    public async ValueTask DisposeAsync() => await _env.DisposeAsync();

    public static TheoryData<string, string> ProtectedRoutes => new()
    {
        { "POST", "/v1/images/generations" },
        { "POST", "/v1/images/edits" },
        { "GET", "/v1/models" },
        { "GET", "/api/configs" },
        { "POST", "/api/generate" },
        { "GET", "/api/runs" },
        { "GET", "/images/run-1-0" },
    };

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task ProtectedRoute_NoKey_401EnvelopeAndNothingForwarded(string method, string path)
    {
        using var client = _env.Gateway.CreateClient(apiKey: null);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "POST" ? JsonContent.Create(new { prompt = "x" }) : null,
        }).DefaultTimeout();

        var error = await OpenAIErrorAssert.EnvelopeAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("didn't provide an API key", error.GetProperty("message").GetString());
        Assert.Equal("Bearer realm=\"Pipeline\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(0, _env.Router.Calls.Count);
    }

    [Theory]
    [InlineData("Bearer pk-not-a-key")]
    [InlineData("Basic cGs6eA==")]
    [InlineData("Bearer ")]
    public async Task Generations_InvalidKey_401InvalidApiKeyAndRouterSeesNothing(string authorization)
    {
        using var client = _env.Gateway.CreateClient(apiKey: null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations") { Content = JsonContent.Create(new { prompt = "x", model = "gpt-image-1" }) };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await client.SendAsync(request).DefaultTimeout();

        var error = await OpenAIErrorAssert.EnvelopeAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.Equal(0, _env.Router.Calls.Count);
    }

    [Fact]
    public async Task Models_KeyConfiguredOnlyAsHash_Accepted()
    {
        using var client = _env.Gateway.CreateClient(GatewayEnvironment.HashedApiKey);

        using var response = await client.GetAsync("/v1/models").DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PageAndHealth_NoKey_Served()
    {
        using var client = _env.Gateway.CreateClient(apiKey: null);

        using var page = await client.GetAsync("/").DefaultTimeout();
        using var script = await client.GetAsync("/app.js").DefaultTimeout();
        using var health = await client.GetAsync("/health").DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("id=\"generate-form\"", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Grpc_NoKeyOrWrongKey_UnauthenticatedTrailersOnly()
    {
        using var channel = GrpcChannel.ForAddress(_env.Gateway.GrpcAddress);
        var client = new ImageGeneration.ImageGenerationClient(channel);

        var missing = await Assert.ThrowsAsync<RpcException>(() => client.ListConfigsAsync(new ListConfigsRequest(), deadline: DateTime.UtcNow + TestTimeouts.Default).ResponseAsync).DefaultTimeout();
        var wrong = await Assert.ThrowsAsync<RpcException>(() => client.ListConfigsAsync(new ListConfigsRequest(),
            headers: new Metadata { { "authorization", "Bearer pk-wrong" } }, deadline: DateTime.UtcNow + TestTimeouts.Default).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        Assert.Contains("Incorrect API key", wrong.Status.Detail);
        Assert.Equal(0, _env.Router.Calls.Count);
    }

    [Fact]
    public async Task Grpc_ValidKey_ForwardedWithoutTheKey()
    {
        using var channel = GrpcChannel.ForAddress(_env.Gateway.GrpcAddress);
        var client = new ImageGeneration.ImageGenerationClient(channel);

        var configs = await client.ListConfigsAsync(new ListConfigsRequest(),
            headers: new Metadata { { "authorization", "Bearer " + GatewayEnvironment.ApiKey } }, deadline: DateTime.UtcNow + TestTimeouts.Default).ResponseAsync.DefaultTimeout();

        Assert.Equal(_env.Router.Script.Catalogue.Configs.Count, configs.Configs.Count);
        var call = Assert.Single(_env.Router.Calls.All);
        Assert.Equal("grpc ListConfigs", call.Name);
        Assert.Null(call.Authorization);
    }

    [Fact]
    public async Task Logs_AfterAcceptedAndRefusedCalls_NeverContainAKeyOrImageBytes()
    {
        using var good = _env.Gateway.CreateClient(GatewayEnvironment.ApiKey);
        using var bad = _env.Gateway.CreateClient("pk-leaked-if-logged-123456");
        using var generated = await good.PostAsJsonAsync("/v1/images/generations", new { prompt = "a fox", model = "gpt-image-1" }).DefaultTimeout();
        using var refused = await bad.GetAsync("/v1/models").DefaultTimeout();
        var b64 = (await generated.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("data")[0].GetProperty("b64_json").GetString()!;

        var messages = _env.Gateway.Logs.Entries.Select(e => e.Message).ToList();

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains(messages, m => m.Contains("API key invalid", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.Contains(GatewayEnvironment.ApiKey, StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.Contains("pk-leaked-if-logged", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.Contains(b64[..40], StringComparison.Ordinal));
    }
}
