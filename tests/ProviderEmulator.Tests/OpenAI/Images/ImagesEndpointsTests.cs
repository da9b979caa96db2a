using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using OpenAI.Images;
using Pipeline.Imaging;
using ProviderEmulator.Tests.Support;

namespace ProviderEmulator.Tests.OpenAI.Images;

public class ImagesEndpointsTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private RunningEmulator Emulator => fixture.Emulator;

    [Fact]
    public async Task Generate_GptImageWithSdk_ReturnsPngOfRequestedSizeAndUsage()
    {
        var client = Clients.Images(Emulator, "gpt-image-1");

        var result = await client.GenerateImagesAsync("a lighthouse at dusk", 1, new ImageGenerationOptions
        {
            Size = GeneratedImageSize.W1536xH1024,
            Quality = GeneratedImageQuality.HighQuality,
        }, TestTimeouts.Token()).DefaultTimeout();

        var image = Assert.Single(result.Value);
        TestImages.AssertImage(image.ImageBytes.ToArray(), ImageFormat.Png, 1536, 1024);
        Assert.Equal(GeneratedImageSize.W1536xH1024, result.Value.Size);
        Assert.Equal(GeneratedImageQuality.HighQuality, result.Value.Quality);
        Assert.NotNull(result.Value.Usage);
        Assert.True(result.Value.Usage.OutputTokenCount > 0);
        Assert.Equal(result.Value.Usage.InputTokenCount + result.Value.Usage.OutputTokenCount, result.Value.Usage.TotalTokenCount);
        Assert.StartsWith("req_", result.GetRawResponse().Headers.TryGetValue("x-request-id", out var id) ? id : "", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("jpeg", ImageFormat.Jpeg)]
    [InlineData("webp", ImageFormat.WebP)]
    public async Task Generate_OutputFormat_ReturnsThatFormat(string outputFormat, ImageFormat expected)
    {
        var client = Clients.Images(Emulator, "gpt-image-1-mini");

        var result = await client.GenerateImageAsync("a bowl of lemons", new ImageGenerationOptions
        {
            Size = GeneratedImageSize.W1024xH1024,
            OutputFileFormat = new GeneratedImageFileFormat(outputFormat),
            OutputCompressionFactor = 70,
        }, TestTimeouts.Token()).DefaultTimeout();

        TestImages.AssertImage(result.Value.ImageBytes.ToArray(), expected, 1024, 1024);
    }

    [Fact]
    public async Task Generate_GptImage2CustomSize_ReturnsThatSize()
    {
        var client = Clients.Images(Emulator, "gpt-image-2");

        var result = await client.GenerateImageAsync("a wide mountain range", new ImageGenerationOptions { Size = new GeneratedImageSize(1280, 720) }, TestTimeouts.Token()).DefaultTimeout();

        TestImages.AssertImage(result.Value.ImageBytes.ToArray(), ImageFormat.Png, 1280, 720);
    }

    [Fact]
    public async Task Generate_GptImage2SizeNotMultipleOf16_Returns400NamingSize()
    {
        var client = Clients.Images(Emulator, "gpt-image-2");

        var ex = await Assert.ThrowsAsync<ClientResultException>(() =>
            client.GenerateImageAsync("x", new ImageGenerationOptions { Size = new GeneratedImageSize(1000, 720) }, TestTimeouts.Token())).DefaultTimeout();

        Assert.Equal(400, ex.Status);
        var error = ErrorOf(ex);
        Assert.Equal("size", error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Generate_DallE3WithUrl_ServesImageFromEmulator()
    {
        var client = Clients.Images(Emulator, "dall-e-3");

        var result = await client.GenerateImageAsync("a red bicycle", new ImageGenerationOptions
        {
            Size = GeneratedImageSize.W1024xH1792,
            ResponseFormat = GeneratedImageFormat.Uri,
            Style = GeneratedImageStyle.Natural,
        }, TestTimeouts.Token()).DefaultTimeout();

        Assert.NotNull(result.Value.ImageUri);
        Assert.Contains("a red bicycle", result.Value.RevisedPrompt, StringComparison.Ordinal);
        using var http = new HttpClient();
        var bytes = await http.GetByteArrayAsync(result.Value.ImageUri, TestTimeouts.Token()).DefaultTimeout();
        TestImages.AssertImage(bytes, ImageFormat.Png, 1024, 1792);
    }

    [Fact]
    public async Task Generate_DallE2Base64_ReturnsSmallSquareWithoutUsage()
    {
        var client = Clients.Images(Emulator, "dall-e-2");

        var result = await client.GenerateImagesAsync("a tiny house", 2, new ImageGenerationOptions
        {
            Size = GeneratedImageSize.W256xH256,
            ResponseFormat = GeneratedImageFormat.Bytes,
        }, TestTimeouts.Token()).DefaultTimeout();

        Assert.Equal(2, result.Value.Count);
        Assert.All(result.Value, image => TestImages.AssertImage(image.ImageBytes.ToArray(), ImageFormat.Png, 256, 256));
        Assert.NotEqual(result.Value[0].ImageBytes.ToArray(), result.Value[1].ImageBytes.ToArray());
        Assert.Null(result.Value.Usage);
    }

    [Fact]
    public async Task Generate_DallE3WithTwoImages_Returns400NamingN()
    {
        var client = Clients.Images(Emulator, "dall-e-3");

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.GenerateImagesAsync("x", 2, cancellationToken: TestTimeouts.Token())).DefaultTimeout();

        Assert.Equal(400, ex.Status);
        Assert.Equal("n", ErrorOf(ex).GetProperty("param").GetString());
    }

    [Fact]
    public async Task Generate_GptImageWithResponseFormat_Returns400UnknownParameter()
    {
        var client = Clients.Images(Emulator, "gpt-image-1");

        var ex = await Assert.ThrowsAsync<ClientResultException>(() =>
            client.GenerateImageAsync("x", new ImageGenerationOptions { ResponseFormat = GeneratedImageFormat.Bytes }, TestTimeouts.Token())).DefaultTimeout();

        var error = ErrorOf(ex);
        Assert.Equal("Unknown parameter: 'response_format'.", error.GetProperty("message").GetString());
        Assert.Equal("unknown_parameter", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Generate_UnknownModel_Returns404ModelNotFound()
    {
        var client = Clients.Images(Emulator, "gpt-image-9");

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.GenerateImageAsync("x", cancellationToken: TestTimeouts.Token())).DefaultTimeout();

        Assert.Equal(404, ex.Status);
        Assert.Equal("model_not_found", ErrorOf(ex).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Generate_SamePromptTwice_IsDeterministic_DifferentPromptDiffers()
    {
        var client = Clients.Images(Emulator, "gpt-image-1");
        var options = new ImageGenerationOptions { Size = GeneratedImageSize.W1024xH1024 };

        var first = (await client.GenerateImageAsync("a green dragon", options, TestTimeouts.Token()).DefaultTimeout()).Value.ImageBytes.ToArray();
        var again = (await client.GenerateImageAsync("a green dragon", options, TestTimeouts.Token()).DefaultTimeout()).Value.ImageBytes.ToArray();
        var other = (await client.GenerateImageAsync("a blue whale", options, TestTimeouts.Token()).DefaultTimeout()).Value.ImageBytes.ToArray();

        Assert.Equal(first, again);
        Assert.True(TestImages.MeanDifference(first, other) > 20, "different prompts should give visibly different images");
    }

    [Fact]
    public async Task Generate_TransparentBackground_HasTransparentPixels()
    {
        var client = Clients.Images(Emulator, "gpt-image-1");

        var result = await client.GenerateImagesAsync("a logo", 1, new ImageGenerationOptions
        {
            Size = GeneratedImageSize.W1024xH1024,
            Background = GeneratedImageBackground.Transparent,
        }, TestTimeouts.Token()).DefaultTimeout();

        var decoded = PngCodec.Decode(result.Value[0].ImageBytes.ToArray());
        Assert.False(decoded.IsOpaque);
        Assert.Equal(GeneratedImageBackground.Transparent, result.Value.Background);
    }

    [Fact]
    public async Task Edit_SdkSingleImageWithMask_ReturnsImageOfRequestedSize()
    {
        var client = Clients.Images(Emulator, "gpt-image-1");
        using var image = new MemoryStream(TestImages.SolidPng(512, 512, new Rgba32(200, 30, 30)));
        using var mask = new MemoryStream(TestImages.LeftHalfMask(512, 512));

        var result = await client.GenerateImageEditAsync(image, "room.png", "add a window", mask, "mask.png", new ImageEditOptions
        {
            Size = GeneratedImageSize.W1024xH1024,
        }, TestTimeouts.Token()).DefaultTimeout();

        var bytes = result.Value.ImageBytes.ToArray();
        TestImages.AssertImage(bytes, ImageFormat.Png, 1024, 1024);
        var decoded = PngCodec.Decode(bytes);
        Assert.Equal(new Rgba32(200, 30, 30), decoded.GetPixel(1000, 500));
    }

    [Fact]
    public async Task Edit_TwoImagesAndMaskViaProtocolMethod_ReturnsImageAndCountsInputs()
    {
        var client = Clients.Images(Emulator, "gpt-image-1.5");
        var body = new Multipart()
            .Text("model", "gpt-image-1.5")
            .Text("prompt", "combine these")
            .Text("size", "1024x1536")
            .Text("n", "1")
            .File("image[]", "a.png", TestImages.SolidPng(256, 256, new Rgba32(10, 200, 10)))
            .File("image[]", "b.png", TestImages.SolidPng(300, 200, new Rgba32(10, 10, 200)))
            .File("mask", "mask.png", TestImages.LeftHalfMask(256, 256));

        var result = await client.GenerateImageEditsAsync(BinaryContent.Create(BinaryData.FromBytes(body.Build())), body.ContentType, new RequestOptions()).DefaultTimeout();

        using var json = JsonDocument.Parse(result.GetRawResponse().Content);
        var data = json.RootElement.GetProperty("data");
        Assert.Equal(1, data.GetArrayLength());
        TestImages.AssertImage(Convert.FromBase64String(data[0].GetProperty("b64_json").GetString()!), ImageFormat.Png, 1024, 1536);
        Assert.Equal("1024x1536", json.RootElement.GetProperty("size").GetString());
        Assert.Equal(2 * 323, json.RootElement.GetProperty("usage").GetProperty("input_tokens_details").GetProperty("image_tokens").GetInt32());
    }

    [Fact]
    public async Task Edit_RepeatedImageParts_AreAllAccepted()
    {
        var client = Clients.Images(Emulator, "gpt-image-1");
        var body = new Multipart()
            .Text("prompt", "merge")
            .Text("model", "gpt-image-1")
            .File("image", "a.png", TestImages.SolidPng(64, 64, new Rgba32(1, 2, 3)))
            .File("image", "b.png", TestImages.SolidPng(64, 64, new Rgba32(4, 5, 6)))
            .File("image", "c.png", TestImages.SolidPng(64, 64, new Rgba32(7, 8, 9)));

        var result = await client.GenerateImageEditsAsync(BinaryContent.Create(BinaryData.FromBytes(body.Build())), body.ContentType, new RequestOptions()).DefaultTimeout();

        using var json = JsonDocument.Parse(result.GetRawResponse().Content);
        Assert.Equal(3 * 323, json.RootElement.GetProperty("usage").GetProperty("input_tokens_details").GetProperty("image_tokens").GetInt32());
    }

    [Fact]
    public async Task Edit_NotAnImage_Returns400()
    {
        var client = Clients.Images(Emulator, "gpt-image-1");
        var body = new Multipart().Text("prompt", "x").Text("model", "gpt-image-1").File("image", "a.png", "<html>"u8.ToArray());

        var ex = await Assert.ThrowsAsync<ClientResultException>(() =>
            client.GenerateImageEditsAsync(BinaryContent.Create(BinaryData.FromBytes(body.Build())), body.ContentType, new RequestOptions())).DefaultTimeout();

        Assert.Equal(400, ex.Status);
        Assert.Equal("image", ErrorOf(ex).GetProperty("param").GetString());
    }

    [Fact]
    public async Task GenerateStreaming_TwoPartials_YieldsPartialsThenCompleted()
    {
        var client = Clients.Images(Emulator, "gpt-image-1");
        var request = BinaryContent.Create(BinaryData.FromObjectAsJson(new
        {
            model = "gpt-image-1",
            prompt = "a field of sunflowers",
            size = "1024x1536",
            stream = true,
            partial_images = 2,
        }));

        var events = new List<(string Type, JsonElement Data)>();
        await using (var stream = await client.GenerateImagesStreamingAsync(request, new RequestOptions()).DefaultTimeout())
        {
            await foreach (var item in stream.WithCancellation(TestTimeouts.Token()))
            {
                events.Add((item.EventType, JsonDocument.Parse(item.Data).RootElement.Clone()));
            }
        }

        Assert.Equal(["image_generation.partial_image", "image_generation.partial_image", "image_generation.completed"], events.Select(e => e.Type));
        var images = new List<byte[]>();
        foreach (var (type, data) in events)
        {
            Assert.Equal(type, data.GetProperty("type").GetString());
            foreach (var key in new[] { "b64_json", "created_at", "size", "quality", "background", "output_format" })
            {
                Assert.True(data.TryGetProperty(key, out _), $"{type} lacks '{key}'");
            }

            var bytes = Convert.FromBase64String(data.GetProperty("b64_json").GetString()!);
            TestImages.AssertImage(bytes, ImageFormat.Png, 1024, 1536);
            images.Add(bytes);
        }

        Assert.Equal(0, events[0].Data.GetProperty("partial_image_index").GetInt32());
        Assert.Equal(1, events[1].Data.GetProperty("partial_image_index").GetInt32());
        Assert.True(events[2].Data.GetProperty("usage").GetProperty("output_tokens").GetInt32() > 0);
        Assert.True(TestImages.MeanDifference(images[0], images[2]) > TestImages.MeanDifference(images[1], images[2]), "later partials should be closer to the final image");
    }

    [Fact]
    public async Task EditStreaming_OnePartial_UsesImageEditEvents()
    {
        var client = Clients.Images(Emulator, "gpt-image-1");
        var body = new Multipart()
            .Text("model", "gpt-image-1")
            .Text("prompt", "paint it blue")
            .Text("stream", "true")
            .Text("partial_images", "1")
            .File("image", "a.png", TestImages.SolidPng(128, 128, new Rgba32(9, 9, 9)));

        var types = new List<string>();
        await using (var stream = await client.GenerateImageEditsStreamingAsync(BinaryContent.Create(BinaryData.FromBytes(body.Build())), body.ContentType, new RequestOptions()).DefaultTimeout())
        {
            await foreach (var item in stream.WithCancellation(TestTimeouts.Token()))
            {
                types.Add(item.EventType);
                using var json = JsonDocument.Parse(item.Data);
                TestImages.AssertImage(Convert.FromBase64String(json.RootElement.GetProperty("b64_json").GetString()!), ImageFormat.Png, 1024, 1024);
            }
        }

        Assert.Equal(["image_edit.partial_image", "image_edit.completed"], types);
    }

    private static JsonElement ErrorOf(ClientResultException ex)
    {
        var response = ex.GetRawResponse() ?? throw new InvalidOperationException("no response");
        using var json = JsonDocument.Parse(response.Content);
        var error = json.RootElement.GetProperty("error").Clone();
        foreach (var key in new[] { "message", "type", "param", "code" })
        {
            Assert.True(error.TryGetProperty(key, out _), $"error envelope lacks '{key}'");
        }

        return error;
    }
}
