using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using OpenAI.Images;
using Pipeline.Imaging;
using ProviderEmulator.Tests.Support;
using SkiaSharp;

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

        var decoded = TestImages.Decode(result.Value[0].ImageBytes.ToArray());
        Assert.Contains(decoded.Alphas, a => a == 0);
        Assert.Equal(GeneratedImageBackground.Transparent, result.Value.Background);
    }

    [Fact]
    public async Task Edit_SdkSingleImageWithMask_ReturnsImageOfRequestedSize()
    {
        var client = Clients.Images(Emulator, "gpt-image-1");
        using var image = new MemoryStream(TestImages.SolidPng(512, 512, new SKColor(200, 30, 30)));
        using var mask = new MemoryStream(TestImages.LeftHalfMask(512, 512));

        var result = await client.GenerateImageEditAsync(image, "room.png", "add a window", mask, "mask.png", new ImageEditOptions
        {
            Size = GeneratedImageSize.W1024xH1024,
        }, TestTimeouts.Token()).DefaultTimeout();

        var bytes = result.Value.ImageBytes.ToArray();
        TestImages.AssertImage(bytes, ImageFormat.Png, 1024, 1024);
        var decoded = TestImages.Decode(bytes);
        Assert.Equal(new SKColor(200, 30, 30), decoded.Pixel(1000, 500));
    }

    [Fact]
    public async Task Generate_TransparentWebP_HasTransparentPixels()
    {
        using var http = Clients.Http(Emulator);

        using var json = await PostJsonAsync(http, "/v1/images/generations", """{"model":"gpt-image-1","prompt":"a logo","size":"1024x1024","background":"transparent","output_format":"webp"}""");

        var bytes = Convert.FromBase64String(json.RootElement.GetProperty("data")[0].GetProperty("b64_json").GetString()!);
        TestImages.AssertImage(bytes, ImageFormat.WebP, 1024, 1024);
        var decoded = TestImages.Decode(bytes);
        Assert.Contains(decoded.Alphas, a => a == 0);
        Assert.Contains(decoded.Alphas, a => a == 255);
        Assert.Equal("transparent", json.RootElement.GetProperty("background").GetString());
    }

    [Fact]
    public async Task Generate_TransparentJpeg_Returns400InvalidValueBackground()
    {
        var client = Clients.Images(Emulator, "gpt-image-1");

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.GenerateImageAsync("a logo", new ImageGenerationOptions
        {
            Background = GeneratedImageBackground.Transparent,
            OutputFileFormat = GeneratedImageFileFormat.Jpeg,
        }, TestTimeouts.Token())).DefaultTimeout();

        Assert.Equal(400, ex.Status);
        var error = ErrorOf(ex);
        Assert.Equal("background", error.GetProperty("param").GetString());
        Assert.Equal("invalid_value", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Generate_JpegCompression_LowerValueGivesSmallerImage()
    {
        using var http = Clients.Http(Emulator);

        async Task<byte[]> JpegAsync(int compression)
        {
            using var json = await PostJsonAsync(http, "/v1/images/generations", $$"""{"model":"gpt-image-1","prompt":"a market","size":"1024x1024","output_format":"jpeg","output_compression":{{compression}}}""");
            return Convert.FromBase64String(json.RootElement.GetProperty("data")[0].GetProperty("b64_json").GetString()!);
        }

        var low = await JpegAsync(10);
        var high = await JpegAsync(95);

        TestImages.AssertImage(low, ImageFormat.Jpeg, 1024, 1024);
        TestImages.AssertImage(high, ImageFormat.Jpeg, 1024, 1024);
        Assert.True(low.Length < high.Length * 0.8, $"compression 10: {low.Length} bytes, 95: {high.Length} bytes");
    }

    [Fact]
    public async Task Edit_MaskWithEditableLeftHalf_KeepsInputOnTheRightAndRepaintsTheLeft()
    {
        using var http = Clients.Http(Emulator);
        var input = TestImages.CheckerPng(1024, 1024);
        var body = new Multipart()
            .Text("model", "gpt-image-1")
            .Text("prompt", "a window on the left wall")
            .Text("size", "1024x1024")
            .File("image", "room.png", input)
            .File("mask", "mask.png", TestImages.LeftHalfMask(1024, 1024));

        using var json = await PostMultipartAsync(http, body);

        var output = TestImages.Decode(Convert.FromBase64String(json.RootElement.GetProperty("data")[0].GetProperty("b64_json").GetString()!));
        var original = TestImages.Decode(input);
        long keptDifferences = 0, editedDifference = 0, edited = 0;
        for (var y = 0; y < 1024; y += 3)
        {
            for (var x = 0; x < 1024; x += 3)
            {
                var (o, i) = (output.Pixel(x, y), original.Pixel(x, y));
                if (x >= 516)
                {
                    keptDifferences += o == i ? 0 : 1;
                }
                else if (x < 508)
                {
                    editedDifference += Math.Abs(o.Red - i.Red) + Math.Abs(o.Green - i.Green) + Math.Abs(o.Blue - i.Blue);
                    edited++;
                }
            }
        }

        Assert.Equal(0, keptDifferences);
        Assert.True(editedDifference / (3.0 * edited) > 20, $"mean difference in the editable half {editedDifference / (3.0 * edited):F1}");
    }

    [Fact]
    public async Task Edit_MaskSizeDiffersFromImage_Returns400InvalidValueMask()
    {
        var client = Clients.Images(Emulator, "gpt-image-1");
        var body = new Multipart()
            .Text("model", "gpt-image-1")
            .Text("prompt", "x")
            .File("image", "a.png", TestImages.SolidPng(256, 256, SKColors.Red))
            .File("mask", "mask.png", TestImages.LeftHalfMask(128, 256));

        var ex = await Assert.ThrowsAsync<ClientResultException>(() =>
            client.GenerateImageEditsAsync(BinaryContent.Create(BinaryData.FromBytes(body.Build())), body.ContentType, new RequestOptions())).DefaultTimeout();

        Assert.Equal(400, ex.Status);
        var error = ErrorOf(ex);
        Assert.Equal("mask", error.GetProperty("param").GetString());
        Assert.Equal("invalid_value", error.GetProperty("code").GetString());
        Assert.Contains("128x256", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("image", 60_000, 60_000)]
    [InlineData("image", 16_385, 16)]
    [InlineData("image", 12_000, 9_000)]
    [InlineData("mask", 60_000, 60_000)]
    public async Task Edit_UploadDeclaringTooManyPixels_Returns400ImageTooLarge(string part, int width, int height)
    {
        var client = Clients.Images(Emulator, "gpt-image-1");
        var bomb = TestImages.PngDeclaring(width, height);
        var body = new Multipart().Text("model", "gpt-image-1").Text("prompt", "x")
            .File("image", "a.png", part == "image" ? bomb : TestImages.SolidPng(64, 64, SKColors.Red));
        if (part == "mask")
        {
            body.File("mask", "mask.png", bomb);
        }

        var ex = await Assert.ThrowsAsync<ClientResultException>(() =>
            client.GenerateImageEditsAsync(BinaryContent.Create(BinaryData.FromBytes(body.Build())), body.ContentType, new RequestOptions())).DefaultTimeout();

        Assert.Equal(400, ex.Status);
        var error = ErrorOf(ex);
        Assert.Equal(part, error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("image_too_large", error.GetProperty("code").GetString());
        Assert.Contains($"{width}x{height}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_TruncatedImage_Returns400InvalidImageFile()
    {
        var client = Clients.Images(Emulator, "gpt-image-1");
        var png = TestImages.CheckerPng(256, 256);
        var body = new Multipart().Text("model", "gpt-image-1").Text("prompt", "x").File("image", "a.png", png[..(png.Length / 2)]);

        var ex = await Assert.ThrowsAsync<ClientResultException>(() =>
            client.GenerateImageEditsAsync(BinaryContent.Create(BinaryData.FromBytes(body.Build())), body.ContentType, new RequestOptions())).DefaultTimeout();

        Assert.Equal(400, ex.Status);
        Assert.Equal("invalid_image_file", ErrorOf(ex).GetProperty("code").GetString());
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
            .File("image[]", "a.png", TestImages.SolidPng(256, 256, new SKColor(10, 200, 10)))
            .File("image[]", "b.png", TestImages.SolidPng(300, 200, new SKColor(10, 10, 200)))
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
            .File("image", "a.png", TestImages.SolidPng(64, 64, new SKColor(1, 2, 3)))
            .File("image", "b.png", TestImages.SolidPng(64, 64, new SKColor(4, 5, 6)))
            .File("image", "c.png", TestImages.SolidPng(64, 64, new SKColor(7, 8, 9)));

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
            .File("image", "a.png", TestImages.SolidPng(128, 128, new SKColor(9, 9, 9)));

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

    private static async Task<JsonDocument> PostJsonAsync(HttpClient http, string path, string body)
    {
        using var response = await http.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestTimeouts.Token()).DefaultTimeout();
        var text = await response.Content.ReadAsStringAsync(TestTimeouts.Token()).DefaultTimeout();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text);
    }

    private static async Task<JsonDocument> PostMultipartAsync(HttpClient http, Multipart body)
    {
        var content = new ByteArrayContent(body.Build());
        content.Headers.TryAddWithoutValidation("Content-Type", body.ContentType);
        using var response = await http.PostAsync("/v1/images/edits", content, TestTimeouts.Token()).DefaultTimeout();
        var text = await response.Content.ReadAsStringAsync(TestTimeouts.Token()).DefaultTimeout();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text);
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
