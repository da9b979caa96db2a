using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using System.Text.Json;
using AppHost.Tests.Fleet;
using Aspire.Hosting.Testing;
using OpenAI;
using OpenAI.Images;

namespace AppHost.Tests;

/// <summary>
/// The official OpenAI .NET SDK, unchanged except for its endpoint and key, against the whole fleet: gateway → router →
/// OpenAI adapter → emulator, every image stored.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class OpenAISdkFleetTests(FleetFixture fleet)
{
    private const string ApiKey = FleetFixture.ApiKey;

    [Fact]
    public async Task Models_CarryEachConfigsRulesDisplayAndAudienceUnderPipeline()
    {
        var ct = TestContext.Current.CancellationToken;
        using var gateway = fleet.CreateGatewayClient();

        var models = JsonDocument.Parse(await gateway.GetStringAsync("/v1/models", ct).DefaultTimeout()).RootElement.GetProperty("data").EnumerateArray()
            .ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("pipeline"));

        var edit = models["gpt-image-1_edit"];
        Assert.Equal((1, 16, true), (edit.GetProperty("rules").GetProperty("min_input_images").GetInt32(),
            edit.GetProperty("rules").GetProperty("max_input_images").GetInt32(), edit.GetProperty("rules").GetProperty("mask").GetBoolean()));
        Assert.Contains("1024x1024", edit.GetProperty("rules").GetProperty("sizes").EnumerateArray().Select(v => v.GetString()));
        Assert.NotEmpty(edit.GetProperty("display").GetProperty("icon").GetString()!);
        Assert.True(edit.GetProperty("audience").GetProperty("workshop_suitable").GetBoolean());
        Assert.Equal(2, models["gpt-image-1_avatar_grid"].GetProperty("grid_split").GetProperty("rows").GetInt32());
        Assert.Contains("style", models["gpt-image-1_watercolour"].GetProperty("tags").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task OpenAISdk_GenerateEditWithTwoImagesAndStream_AllSucceedAndEveryImageIsStored()
    {
        var ct = TestContext.Current.CancellationToken;
        var app = fleet.App;
        var images = new ImageClient("gpt-image-1", new ApiKeyCredential(ApiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(app.GetEndpoint("gateway", "http"), "v1"),
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = TestTimeouts.Default,
        });
        using var gateway = fleet.CreateGatewayClient();

        // Generate: the typed call, 1024x1024.
        var generated = await images.GenerateImageAsync("a lighthouse at dusk", new ImageGenerationOptions
        {
            Size = GeneratedImageSize.W1024xH1024,
            Quality = GeneratedImageQuality.LowQuality,
        }, ct).DefaultTimeout();
        var first = generated.Value.ImageBytes.ToArray();
        await AssertStoredAsync(gateway, generated.GetRawResponse().Content, first, ct);

        // Streamed generation with two partial images (the SDK's streaming protocol method).
        var streamRequest = BinaryContent.Create(BinaryData.FromObjectAsJson(new
        {
            model = "gpt-image-1", prompt = "a harbour at night", size = "1024x1024", quality = "low", stream = true, partial_images = 2,
        }));
        var events = new List<(string Type, JsonElement Data)>();
        await using (var stream = await images.GenerateImagesStreamingAsync(streamRequest, new RequestOptions { CancellationToken = ct }).DefaultTimeout())
        {
            await foreach (var item in stream.WithCancellation(ct))
            {
                events.Add((item.EventType, JsonDocument.Parse(item.Data).RootElement.Clone()));
            }
        }
        Assert.Equal(["image_generation.partial_image", "image_generation.partial_image", "image_generation.completed"], events.Select(e => e.Type));
        var completed = events[^1].Data;
        var second = Convert.FromBase64String(completed.GetProperty("b64_json").GetString()!);
        Assert.Equal(second, await gateway.GetByteArrayAsync($"/images/{completed.GetProperty("id").GetString()}", ct).DefaultTimeout());

        // Edit with two input images: the two images generated above, as multipart image[] parts.
        using var form = new MultipartFormDataContent
        {
            { new StringContent("gpt-image-1"), "model" },
            { new StringContent("put the lighthouse in the harbour"), "prompt" },
            { new StringContent("1024x1024"), "size" },
            { Png(first), "image[]", "lighthouse.png" },
            { Png(second), "image[]", "harbour.png" },
        };
        var body = BinaryContent.Create(BinaryData.FromBytes(await form.ReadAsByteArrayAsync(ct)));
        var edited = await images.GenerateImageEditsAsync(body, form.Headers.ContentType!.ToString(), new RequestOptions { CancellationToken = ct }).DefaultTimeout();
        using var editJson = JsonDocument.Parse(edited.GetRawResponse().Content);
        var editImage = Convert.FromBase64String(editJson.RootElement.GetProperty("data")[0].GetProperty("b64_json").GetString()!);
        await AssertStoredAsync(gateway, edited.GetRawResponse().Content, editImage, ct);
        var pipeline = editJson.RootElement.GetProperty("pipeline");
        using var run = JsonDocument.Parse(await gateway.GetStringAsync($"/api/runs/{pipeline.GetProperty("run_id").GetString()}", ct).DefaultTimeout());
        Assert.Equal("gpt-image-1_edit", run.RootElement.GetProperty("config").GetString());
    }

    /// <summary>The response's image, fetched back from storage through the gateway, is byte for byte what the SDK got.</summary>
    private static async Task AssertStoredAsync(HttpClient gateway, BinaryData response, byte[] image, CancellationToken ct)
    {
        using var json = JsonDocument.Parse(response);
        var id = json.RootElement.GetProperty("data")[0].GetProperty("id").GetString();
        Assert.Equal(image, await gateway.GetByteArrayAsync($"/images/{id}", ct).DefaultTimeout());
    }

    private static ByteArrayContent Png(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return content;
    }
}
