using System.Net;
using System.Text.Json;
using Gateway.Tests.TestSupport;

namespace Gateway.Tests.OpenAI;

/// <summary>
/// When a fallback serves a run (Accepted names config A, a Fallback frame then names B, the Finals say B), the OpenAI
/// routes' <c>pipeline</c> object names B, the config that served, and lists both attempts.
/// </summary>
public sealed class FallbackEchoTests : IAsyncLifetime
{
    private GatewayEnvironment _env = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _env = await GatewayEnvironment.StartAsync();
        _client = _env.Gateway.CreateClient(GatewayEnvironment.ApiKey);
        _env.Router.Script.FallbackTo = "gemini-2.5-flash-image";
        _env.Router.Script.FallbackReason = "openai is down";
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _env.DisposeAsync();
    }

    [Fact]
    public async Task Generations_FallbackServed_PipelineNamesTheServingConfigAndEveryAttempt()
    {
        using var response = await _client.PostAsJsonAsync("/v1/images/generations", new { prompt = "a fox", model = "gpt-image-1" }).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pipeline = (await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("pipeline");
        AssertServedByB(pipeline);
    }

    [Fact]
    public async Task GenerationsStreaming_FallbackServed_CompletedEventNamesTheServingConfig()
    {
        using var response = await _client.PostAsJsonAsync("/v1/images/generations", new { prompt = "a fox", model = "gpt-image-1", stream = true, partial_images = 1 }).DefaultTimeout();
        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["image_generation.partial_image", "image_generation.completed"], events.Select(e => e.Split('\n')[0]["event: ".Length..]));
        using var completed = JsonDocument.Parse(events[1].Split('\n')[1]["data: ".Length..]);
        AssertServedByB(completed.RootElement.GetProperty("pipeline"));
    }

    [Fact]
    public async Task Generations_NoFallback_OneServedAttempt()
    {
        _env.Router.Script.FallbackTo = null;

        using var response = await _client.PostAsJsonAsync("/v1/images/generations", new { prompt = "a fox", model = "gpt-image-1" }).DefaultTimeout();

        var pipeline = (await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("pipeline");
        Assert.Equal("gpt-image-1", pipeline.GetProperty("config").GetString());
        var attempt = Assert.Single(pipeline.GetProperty("attempts").EnumerateArray());
        Assert.Equal(("gpt-image-1", "served"), (attempt.GetProperty("config").GetString(), attempt.GetProperty("outcome").GetString()));
    }

    private void AssertServedByB(JsonElement pipeline)
    {
        Assert.Equal(("gemini-2.5-flash-image", "openrouter", "google/gemini-2.5-flash-image"),
            (pipeline.GetProperty("config").GetString(), pipeline.GetProperty("provider").GetString(), pipeline.GetProperty("model").GetString()));
        var attempts = pipeline.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([("gpt-image-1", "failed"), ("gemini-2.5-flash-image", "served")],
            attempts.Select(a => (a.GetProperty("config").GetString(), a.GetProperty("outcome").GetString())));
        Assert.Equal(("UNAVAILABLE", "openai is down"), (attempts[0].GetProperty("status_code").GetString(), attempts[0].GetProperty("reason").GetString()));
        Assert.Equal("gpt-image-1 (openai/gpt-image-1) failed (UNAVAILABLE: openai is down)", attempts[0].GetProperty("summary").GetString());
        Assert.Single(_env.Gateway.Logs.Entries, e => e.EventName == "GenerationFellBack");
    }
}
