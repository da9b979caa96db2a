using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using Gateway.Tests.TestSupport;
using OpenAI.Images;
using SkiaSharp;

namespace Gateway.Tests.OpenAI;

/// <summary>The official OpenAI .NET SDK (2.15.0) talks to the gateway unchanged: only its endpoint and key are ours.</summary>
public sealed class OpenAISdkTests : IAsyncLifetime
{
    private GatewayEnvironment _env = null!;

    public async ValueTask InitializeAsync() => _env = await GatewayEnvironment.StartAsync();

    public async ValueTask DisposeAsync() => await _env.DisposeAsync();

    [Fact]
    public async Task GenerateImage_ProviderModelName_ReturnsImageThatIsInStorage()
    {
        _env.Router.Script.RevisedPrompt = "a lighthouse at dusk, watercolour";
        var client = OpenAIClients.Images(_env.Gateway, "gpt-image-1");

        var result = await client.GenerateImageAsync("a lighthouse", new ImageGenerationOptions
        {
            Quality = GeneratedImageQuality.HighQuality,
            Size = GeneratedImageSize.W1024xH1536,
        }).DefaultTimeout();

        var bytes = result.Value.ImageBytes.ToArray();
        TestImages.AssertPng(bytes, 48, 48);
        Assert.Equal("a lighthouse at dusk, watercolour", result.Value.RevisedPrompt);
        using var json = JsonDocument.Parse(result.GetRawResponse().Content);
        var imageId = json.RootElement.GetProperty("data")[0].GetProperty("id").GetString()!;
        Assert.Equal(bytes, await _env.Storage.ReadImageAsync(imageId).DefaultTimeout());
        Assert.Equal("gpt-image-1", json.RootElement.GetProperty("pipeline").GetProperty("config").GetString());

        var generate = Assert.Single(_env.Router.Calls.Generates);
        Assert.Equal("gpt-image-1", generate.Config);
        Assert.Equal("a lighthouse", generate.Prompt);
        Assert.Equal("high", generate.Parameters.Quality);
        Assert.Equal("1024x1536", generate.Parameters.Size);
        Assert.True(generate.IncludeImageData);
    }

    [Fact]
    public async Task GenerateImages_TwoImages_BothReturnedInOrderWithUsage()
    {
        var client = OpenAIClients.Images(_env.Gateway, "gpt-image-1_highquality");

        var result = await client.GenerateImagesAsync("two foxes", 2).DefaultTimeout();

        Assert.Equal(2, result.Value.Count);
        using var json = JsonDocument.Parse(result.GetRawResponse().Content);
        var ids = json.RootElement.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("id").GetString()!).ToList();
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(result.Value[i].ImageBytes.ToArray(), await _env.Storage.ReadImageAsync(ids[i]).DefaultTimeout());
        }
        Assert.Equal(220, result.Value.Usage.TotalTokenCount);
        Assert.Equal("high", json.RootElement.GetProperty("quality").GetString());
        Assert.Equal("48x48", json.RootElement.GetProperty("size").GetString());
        Assert.Equal("gpt-image-1_highquality", Assert.Single(_env.Router.Calls.Generates).Config);
    }

    [Fact]
    public async Task GenerateImageEdits_TwoImagesAndMask_RouterGetsBothInOrderAndResultIsStored()
    {
        var first = TestImages.Png(64, 64, new SKColor(200, 10, 10));
        var second = TestImages.Png(32, 48, new SKColor(10, 10, 200));
        var mask = TestImages.Png(64, 64, new SKColor(0, 0, 0));
        var body = new Multipart()
            .Text("model", "gpt-image-1")
            .Text("prompt", "put the red square on the blue one")
            .File("image[]", "red.png", first)
            .File("image[]", "blue.png", second)
            .File("mask", "mask.png", mask);
        var client = OpenAIClients.Images(_env.Gateway, "gpt-image-1");

        var result = await client.GenerateImageEditsAsync(await body.BuildAsync(), body.ContentType, new RequestOptions()).DefaultTimeout();

        using var json = JsonDocument.Parse(result.GetRawResponse().Content);
        var data = Assert.Single(json.RootElement.GetProperty("data").EnumerateArray());
        var bytes = Convert.FromBase64String(data.GetProperty("b64_json").GetString()!);
        Assert.Equal(bytes, await _env.Storage.ReadImageAsync(data.GetProperty("id").GetString()!).DefaultTimeout());
        var generate = Assert.Single(_env.Router.Calls.Generates);
        Assert.Equal("gpt-image-1_edit", generate.Config);
        Assert.Equal([first, second], generate.InputImages.Select(i => i.Data.ToByteArray()));
        Assert.Equal(["red.png", "blue.png"], generate.InputImages.Select(i => i.Filename));
        Assert.Equal(mask, generate.Mask.Data.ToByteArray());
    }

    [Fact]
    public async Task GenerateImageEdit_SdkConvenienceMethod_SinglePartAccepted()
    {
        var image = TestImages.Png(40, 40, new SKColor(1, 150, 1));
        var client = OpenAIClients.Images(_env.Gateway, "gpt-image-1");

        var result = await client.GenerateImageEditAsync(new MemoryStream(image), "green.png", "make it blue").DefaultTimeout();

        TestImages.AssertPng(result.Value.ImageBytes.ToArray(), 48, 48);
        var generate = Assert.Single(_env.Router.Calls.Generates);
        Assert.Equal(image, Assert.Single(generate.InputImages).Data.ToByteArray());
        Assert.Equal("make it blue", generate.Prompt);
    }

    [Fact]
    public async Task GenerateImagesStreaming_TwoPartials_ArriveBeforeTheFinalImageExists()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _env.Router.Script.HoldBeforeFinal = hold;
        var client = OpenAIClients.Images(_env.Gateway, "gpt-image-1");
        var request = BinaryContent.Create(BinaryData.FromObjectAsJson(new { model = "gpt-image-1", prompt = "sunflowers", stream = true, partial_images = 2 }));

        var events = new List<(string Type, JsonElement Data)>();
        await using (var stream = await client.GenerateImagesStreamingAsync(request, new RequestOptions()).DefaultTimeout())
        {
            await foreach (var item in stream.WithCancellation(TestTimeouts.Token()))
            {
                events.Add((item.EventType, JsonDocument.Parse(item.Data).RootElement.Clone()));
                if (events.Count == 2)
                {
                    // Both previews reached the SDK while the router still holds the final image back.
                    hold.SetResult();
                }
            }
        }

        Assert.Equal(["image_generation.partial_image", "image_generation.partial_image", "image_generation.completed"], events.Select(e => e.Type));
        foreach (var (type, data) in events)
        {
            Assert.Equal(type, data.GetProperty("type").GetString());
            foreach (var key in new[] { "b64_json", "created_at", "size", "quality", "background", "output_format" })
            {
                Assert.True(data.TryGetProperty(key, out _), $"{type} lacks '{key}'");
            }
            TestImages.AssertPng(Convert.FromBase64String(data.GetProperty("b64_json").GetString()!), 48, 48);
        }
        Assert.Equal([0, 1], events.Take(2).Select(e => e.Data.GetProperty("partial_image_index").GetInt32()));
        var completed = events[2].Data;
        Assert.Equal(110, completed.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        var stored = await _env.Storage.ReadImageAsync(completed.GetProperty("id").GetString()!).DefaultTimeout();
        Assert.Equal(Convert.FromBase64String(completed.GetProperty("b64_json").GetString()!), stored);
        Assert.Equal(2, Assert.Single(_env.Router.Calls.Generates).Parameters.PartialImages);
    }

    [Fact]
    public async Task GenerateImageEditsStreaming_OnePartial_UsesImageEditEvents()
    {
        var body = new Multipart()
            .Text("model", "gpt-image-1")
            .Text("prompt", "paint it blue")
            .Text("stream", "true")
            .Text("partial_images", "1")
            .File("image", "a.png", TestImages.Png(16, 16, new SKColor(9, 9, 9)));
        var client = OpenAIClients.Images(_env.Gateway, "gpt-image-1");

        var types = new List<string>();
        await using (var stream = await client.GenerateImageEditsStreamingAsync(await body.BuildAsync(), body.ContentType, new RequestOptions()).DefaultTimeout())
        {
            await foreach (var item in stream.WithCancellation(TestTimeouts.Token()))
            {
                types.Add(item.EventType);
            }
        }

        Assert.Equal(["image_edit.partial_image", "image_edit.completed"], types);
    }

    [Fact]
    public async Task GetModels_ListsTheRoutersConfigs()
    {
        var client = OpenAIClients.Models(_env.Gateway);

        var models = await client.GetModelsAsync().DefaultTimeout();

        Assert.Equal(_env.Router.Script.Catalogue.Configs.Select(c => c.Name), models.Value.Select(m => m.Id));
        Assert.Equal("openrouter", models.Value.Single(m => m.Id == "gemini-2.5-flash-image").OwnedBy);
    }
}
