using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Imaging;
using ProviderEmulator.Tests.Support;

namespace ProviderEmulator.Tests.OpenRouter;

public class OpenRouterEndpointsTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string DataUrlPrefix = "data:image/png;base64,";

    private RunningEmulator Emulator => fixture.Emulator;

    [Fact]
    public async Task Chat_NonStreamed_ReturnsImagesInMessageImages()
    {
        using var http = Clients.Http(Emulator);

        using var response = await http.PostAsJsonAsync("/api/v1/chat/completions", new
        {
            model = "google/gemini-2.5-flash-image",
            messages = new[] { new { role = "user", content = "a night city" } },
            modalities = new[] { "image", "text" },
            image_config = new { aspect_ratio = "16:9" },
        }, TestTimeouts.Token()).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("gen-", response.Headers.GetValues("X-Generation-Id").Single(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("X-RateLimit-Limit"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()).DefaultTimeout());
        var root = json.RootElement;
        Assert.Equal("chat.completion", root.GetProperty("object").GetString());
        Assert.Equal(response.Headers.GetValues("X-Generation-Id").Single(), root.GetProperty("id").GetString());
        var choice = root.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("STOP", choice.GetProperty("native_finish_reason").GetString());
        var message = choice.GetProperty("message");
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.DoesNotContain("base64", message.GetProperty("content").GetString(), StringComparison.Ordinal);
        var image = Assert.Single(message.GetProperty("images").EnumerateArray());
        Assert.Equal("image_url", image.GetProperty("type").GetString());
        AssertDataUrlImage(image.GetProperty("image_url").GetProperty("url").GetString()!, 1344, 768);
        var usage = root.GetProperty("usage");
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
        Assert.True(usage.GetProperty("cost").GetDouble() > 0);
    }

    [Fact]
    public async Task Chat_Streamed_SendsCommentsChunksUsageAndDone()
    {
        using var http = Clients.Http(Emulator);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat/completions")
        {
            Content = JsonContent.Create(new
            {
                model = "google/gemini-2.5-flash-image",
                messages = new object[] { new { role = "user", content = new object[] { new { type = "text", text = "make it night" } } } },
                modalities = new[] { "image", "text" },
                stream = true,
            }),
        };

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestTimeouts.Token()).DefaultTimeout();
        var raw = await response.Content.ReadAsStringAsync(TestTimeouts.Token()).DefaultTimeout();

        Assert.StartsWith(": OPENROUTER PROCESSING\n\n", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("event:", raw, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", raw, StringComparison.Ordinal);
        var items = await SseReader.ReadItemsAsync(new HttpResponseMessage { Content = new StringContent(raw) });
        Assert.Equal("[DONE]", items[^1].Data);
        var chunks = items.SkipLast(1).Select(i => JsonDocument.Parse(i.Data).RootElement).ToList();
        Assert.Equal(3, chunks.Count);
        foreach (var chunk in chunks)
        {
            Assert.Equal("chat.completion.chunk", chunk.GetProperty("object").GetString());
            foreach (var key in new[] { "id", "provider", "model", "created", "choices" })
            {
                Assert.True(chunk.TryGetProperty(key, out _), $"chunk lacks '{key}'");
            }

            foreach (var choice in chunk.GetProperty("choices").EnumerateArray())
            {
                foreach (var key in new[] { "index", "delta", "finish_reason", "native_finish_reason" })
                {
                    Assert.True(choice.TryGetProperty(key, out _), $"choice lacks '{key}'");
                }
            }
        }

        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, chunks[0].GetProperty("choices")[0].GetProperty("finish_reason").ValueKind);
        var imageChoice = chunks[1].GetProperty("choices")[0];
        Assert.Equal("stop", imageChoice.GetProperty("finish_reason").GetString());
        var image = Assert.Single(imageChoice.GetProperty("delta").GetProperty("images").EnumerateArray());
        Assert.Equal(0, image.GetProperty("index").GetInt32());
        AssertDataUrlImage(image.GetProperty("image_url").GetProperty("url").GetString()!, 1024, 1024);
        Assert.Equal(0, chunks[2].GetProperty("choices").GetArrayLength());
        Assert.True(chunks[2].GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Chat_SameSeed_IsDeterministic_OtherSeedDiffers()
    {
        using var http = Clients.Http(Emulator);

        var a = await ImageAsync(http, seed: 7);
        var b = await ImageAsync(http, seed: 7);
        var c = await ImageAsync(http, seed: 8);

        Assert.Equal(a, b);
        Assert.True(TestImages.MeanDifference(a, c) > 10);
    }

    [Fact]
    public async Task Chat_UnknownModel_Returns400WithOpenRouterEnvelope()
    {
        using var http = Clients.Http(Emulator);

        using var response = await http.PostAsJsonAsync("/api/v1/chat/completions", new { model = "nope/nope", messages = new[] { new { role = "user", content = "x" } } }, TestTimeouts.Token()).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()).DefaultTimeout());
        Assert.Equal(400, json.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("nope/nope", json.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_NoKey_Returns401WithOpenRouterEnvelope()
    {
        using var http = Clients.Http(Emulator, apiKey: null);

        using var response = await http.PostAsJsonAsync("/api/v1/chat/completions", new { model = "google/gemini-2.5-flash-image" }, TestTimeouts.Token()).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()).DefaultTimeout());
        Assert.Equal(401, json.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("No auth credentials found", json.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("image", 6)]
    [InlineData(null, 4)]
    [InlineData("text,image", 6)]
    [InlineData("audio", 0)]
    public async Task Models_OutputModalities_FiltersCatalogue(string? modalities, int expected)
    {
        using var http = Clients.Http(Emulator);

        var url = modalities is null ? "/api/v1/models" : $"/api/v1/models?output_modalities={modalities}";
        using var json = JsonDocument.Parse(await http.GetStringAsync(url, TestTimeouts.Token()).DefaultTimeout());

        var data = json.RootElement.GetProperty("data");
        Assert.Equal(expected, data.GetArrayLength());
        Assert.Equal(expected, json.RootElement.GetProperty("total_count").GetInt32());
        foreach (var model in data.EnumerateArray())
        {
            Assert.Contains("image", model.GetProperty("architecture").GetProperty("output_modalities").EnumerateArray().Select(m => m.GetString()));
            Assert.Equal(JsonValueKind.String, model.GetProperty("pricing").GetProperty("image").ValueKind);
            Assert.Equal(JsonValueKind.String, model.GetProperty("pricing").GetProperty("prompt").ValueKind);
        }
    }

    private static async Task<byte[]> ImageAsync(HttpClient http, int seed)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/chat/completions", new
        {
            model = "black-forest-labs/flux.2-pro",
            messages = new[] { new { role = "user", content = "a fox" } },
            modalities = new[] { "image" },
            image_config = new { image_size = "0.5K" },
            seed,
        }, TestTimeouts.Token()).DefaultTimeout();
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()).DefaultTimeout());
        var url = json.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("images")[0].GetProperty("image_url").GetProperty("url").GetString()!;
        AssertDataUrlImage(url, 512, 512);
        return Convert.FromBase64String(url[DataUrlPrefix.Length..]);
    }

    private static void AssertDataUrlImage(string url, int width, int height)
    {
        Assert.StartsWith(DataUrlPrefix, url, StringComparison.Ordinal);
        TestImages.AssertImage(Convert.FromBase64String(url[DataUrlPrefix.Length..]), ImageFormat.Png, width, height);
    }
}
