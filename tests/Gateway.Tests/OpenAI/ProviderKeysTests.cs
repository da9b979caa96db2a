using System.Net;
using Gateway.Tests.TestSupport;
using Pipeline.ServiceDefaults.Security;

namespace Gateway.Tests.OpenAI;

/// <summary>A caller's own provider keys on the OpenAI routes: copied to the router call as metadata, never logged or echoed.</summary>
public sealed class ProviderKeysTests : IAsyncLifetime
{
    private const string OpenAIKey = "sk-caller-openai-4f1c2b7e9d";
    private const string OpenRouterKey = "sk-or-caller-8a3e6d0c5b";

    private GatewayEnvironment _env = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _env = await GatewayEnvironment.StartAsync();
        _client = _env.Gateway.CreateClient(GatewayEnvironment.ApiKey);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _env.DisposeAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Generations_ProviderKeyHeaders_ReachTheRouterAsMetadataAndAreNeverEchoed(bool stream)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations")
        {
            Content = JsonContent.Create(new { prompt = "a fox", model = "gpt-image-1", stream }),
        };
        request.Headers.Add("X-Provider-Key-OpenAI", OpenAIKey);
        request.Headers.Add("X-Provider-Key-OpenRouter", OpenRouterKey);

        using var response = await _client.SendAsync(request).DefaultTimeout();
        var body = await response.Content.ReadAsStringAsync().DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(_env.Router.Calls.All, c => c.Name == "grpc Generate");
        Assert.Equal((OpenAIKey, OpenRouterKey), (call.Headers[ProviderKeyHeaders.OpenAI], call.Headers[ProviderKeyHeaders.OpenRouter]));
        AssertNowhere(body, response);
    }

    [Fact]
    public async Task Edits_ProviderKeyHeader_ReachesTheRouterAsMetadata()
    {
        var edit = new Multipart().Text("prompt", "a fox").Text("model", "gpt-image-1_edit").File("image", "in.png", TestImages.Png(16, 16, new SkiaSharp.SKColor(1, 2, 3)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/edits") { Content = edit.Content };
        request.Headers.Add("X-Provider-Key-OpenAI", OpenAIKey);

        using var response = await _client.SendAsync(request).DefaultTimeout();
        var body = await response.Content.ReadAsStringAsync().DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(_env.Router.Calls.All, c => c.Name == "grpc Generate");
        Assert.Equal(OpenAIKey, call.Headers[ProviderKeyHeaders.OpenAI]);
        Assert.False(call.Headers.ContainsKey(ProviderKeyHeaders.OpenRouter));
        AssertNowhere(body, response);
    }

    [Fact]
    public async Task Generations_NoProviderKeyHeaders_NoneSent()
    {
        using var response = await _client.PostAsJsonAsync("/v1/images/generations", new { prompt = "a fox", model = "gpt-image-1" }).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(_env.Router.Calls.All, c => c.Name == "grpc Generate");
        Assert.DoesNotContain(call.Headers.Keys, k => k.StartsWith(ProviderKeyHeaders.Prefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Generations_UnqualifiedProviderKey_400AndNoGeneration()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations")
        {
            Content = JsonContent.Create(new { prompt = "a fox", model = "gpt-image-1" }),
        };
        request.Headers.Add("X-Provider-Key", OpenAIKey);

        using var response = await _client.SendAsync(request).DefaultTimeout();

        var error = await OpenAIErrorAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("unqualified_provider_key", error.GetProperty("code").GetString());
        Assert.DoesNotContain(OpenAIKey, error.GetRawText());
        Assert.Empty(_env.Router.Calls.Generates);
    }

    private void AssertNowhere(string body, HttpResponseMessage response)
    {
        foreach (var key in new[] { OpenAIKey, OpenRouterKey })
        {
            Assert.DoesNotContain(key, body);
            Assert.DoesNotContain(response.Headers.Concat(response.Content.Headers), h => h.Value.Any(v => v.Contains(key)));
            Assert.DoesNotContain(_env.Gateway.Logs.Entries, e => e.Message.Contains(key) || (e.Exception?.ToString().Contains(key) ?? false));
        }
    }
}
