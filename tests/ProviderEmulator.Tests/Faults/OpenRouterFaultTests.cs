using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ProviderEmulator.Faults;
using ProviderEmulator.Tests.Support;

namespace ProviderEmulator.Tests.Faults;

/// <summary>Fault modes on the OpenRouter route, as OpenRouter sends them.</summary>
public class OpenRouterFaultTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private RunningEmulator Emulator => fixture.Emulator;

    [Fact]
    public async Task RateLimit_Returns429WithOpenRouterHeadersAndEnvelope()
    {
        using var response = await SendAsync("rate-limit=2", stream: false);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("0", response.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.True(long.Parse(response.Headers.GetValues("X-RateLimit-Reset").Single(), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        var error = await ErrorAsync(response);
        Assert.Equal(429, error.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Status503_ReturnsNoProviderEnvelope()
    {
        using var response = await SendAsync("status=503", stream: false);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(503, (await ErrorAsync(response)).GetProperty("code").GetInt32());
        Assert.True(response.Headers.Contains("X-Generation-Id"));
    }

    [Fact]
    public async Task ContentPolicy_Returns403WithModerationMetadata()
    {
        using var response = await SendAsync("content-policy", stream: false);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var metadata = (await ErrorAsync(response)).GetProperty("metadata");
        Assert.Equal("violence", metadata.GetProperty("reasons")[0].GetString());
        Assert.Equal("a harbour at night", metadata.GetProperty("flagged_input").GetString());
        Assert.Equal("google/gemini-2.5-flash-image", metadata.GetProperty("model_slug").GetString());
    }

    [Fact]
    public async Task MidStreamError_StatusStays200AndLastChunkCarriesError()
    {
        using var response = await SendAsync("mid-stream-error", stream: true);
        var items = await SseReader.ReadItemsAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(items, i => i.Data == "[DONE]");
        using var last = JsonDocument.Parse(items[^1].Data);
        Assert.Equal(502, last.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("error", last.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task CutStream_EndsWithoutImageOrDone()
    {
        using var response = await SendAsync("cut-stream", stream: true);
        var items = new List<string>();
        var ex = await Record.ExceptionAsync(async () =>
        {
            foreach (var item in await SseReader.ReadItemsAsync(response))
            {
                items.Add(item.Data);
            }
        });

        Assert.True(ex is not null, "reading a cut stream must fail");
        Assert.DoesNotContain("[DONE]", items);
    }

    [Fact]
    public async Task MalformedJson_ImageChunkIsNotJson()
    {
        using var response = await SendAsync("malformed-json", stream: true);
        var items = await SseReader.ReadItemsAsync(response);

        Assert.Equal("[DONE]", items[^1].Data);
        Assert.Contains(items, i => i.Data != "[DONE]" && !IsJson(i.Data));
    }

    [Fact]
    public async Task PartialDelay_SendsExtraProcessingComments()
    {
        using var response = await SendAsync("partial-delay=50ms", stream: true);
        var raw = await response.Content.ReadAsStringAsync(TestTimeouts.Token()).DefaultTimeout();

        Assert.True(raw.Split(": OPENROUTER PROCESSING").Length - 1 >= 3, raw[..Math.Min(200, raw.Length)]);
    }

    private async Task<HttpResponseMessage> SendAsync(string faults, bool stream)
    {
        using var http = Clients.Http(Emulator);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat/completions")
        {
            Content = JsonContent.Create(new
            {
                model = "google/gemini-2.5-flash-image",
                messages = new[] { new { role = "user", content = "a harbour at night" } },
                modalities = new[] { "image", "text" },
                image_config = new { image_size = "0.5K" },
                stream,
            }),
        };
        request.Headers.Add(FaultParser.HeaderName, faults);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestTimeouts.Token()).DefaultTimeout();
    }

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()).DefaultTimeout());
        return json.RootElement.GetProperty("error").Clone();
    }

    private static bool IsJson(string text)
    {
        try
        {
            JsonDocument.Parse(text).Dispose();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
