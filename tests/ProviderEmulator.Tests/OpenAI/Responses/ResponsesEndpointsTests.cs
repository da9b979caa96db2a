using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using OpenAI.Responses;
using Pipeline.Imaging;
using ProviderEmulator.Tests.Support;

namespace ProviderEmulator.Tests.OpenAI.Responses;

public class ResponsesEndpointsTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private RunningEmulator Emulator => fixture.Emulator;

    [Fact]
    public async Task CreateResponseStreaming_ImageTool_YieldsFullSequenceAndValidImages()
    {
        var client = Clients.Responses(Emulator);
        var options = new CreateResponseOptions
        {
            Model = "gpt-4.1",
            StreamingEnabled = true,
            InputItems = { ResponseItem.CreateUserMessageItem("Draw a river of owl feathers") },
            Tools = { ResponseTool.CreateImageGenerationTool("gpt-image-1", partialImageCount: 2, size: ImageGenerationToolSize.W1024xH1536) },
        };

        var updates = new List<StreamingResponseUpdate>();
        await using (var stream = await client.CreateResponseStreamingAsync(options, TestTimeouts.Token()).DefaultTimeout())
        {
            await foreach (var update in stream.WithCancellation(TestTimeouts.Token()))
            {
                updates.Add(update);
            }
        }

        Assert.Equal(Enumerable.Range(0, updates.Count), updates.Select(u => u.SequenceNumber));
        Assert.IsType<StreamingResponseCreatedUpdate>(updates[0]);
        Assert.IsType<StreamingResponseInProgressUpdate>(updates[1]);
        Assert.IsType<StreamingResponseOutputItemAddedUpdate>(updates[2]);
        Assert.IsType<StreamingResponseImageGenerationCallInProgressUpdate>(updates[3]);
        Assert.IsType<StreamingResponseImageGenerationCallGeneratingUpdate>(updates[4]);
        var partials = updates.OfType<StreamingResponseImageGenerationCallPartialImageUpdate>().ToList();
        Assert.Equal([0, 1], partials.Select(p => p.PartialImageIndex));
        Assert.All(partials, p => TestImages.AssertImage(p.PartialImageBytes.ToArray(), ImageFormat.Png, 1024, 1536));
        Assert.Single(updates.OfType<StreamingResponseImageGenerationCallCompletedUpdate>());

        var imageDone = updates.OfType<StreamingResponseOutputItemDoneUpdate>().Select(u => u.Item).OfType<ImageGenerationCallResponseItem>().Single();
        TestImages.AssertImage(imageDone.ImageResultBytes.ToArray(), ImageFormat.Png, 1024, 1536);
        Assert.False(string.IsNullOrEmpty(imageDone.RevisedPrompt));

        var completed = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]);
        Assert.Equal(ResponseStatus.Completed, completed.Response.Status);
        var finalImage = completed.Response.OutputItems.OfType<ImageGenerationCallResponseItem>().Single();
        Assert.Equal(imageDone.ImageResultBytes.ToArray(), finalImage.ImageResultBytes.ToArray());
        var text = string.Concat(updates.OfType<StreamingResponseOutputTextDeltaUpdate>().Select(d => d.Delta));
        Assert.Equal(text, updates.OfType<StreamingResponseOutputTextDoneUpdate>().Single().Text);
        Assert.NotNull(completed.Response.Usage);
    }

    [Fact]
    public async Task CreateResponse_ImageToolNonStreamed_ReturnsCallItemAndMessage()
    {
        var client = Clients.Responses(Emulator);
        var options = new CreateResponseOptions
        {
            Model = "gpt-4.1-mini",
            InputItems = { ResponseItem.CreateUserMessageItem("A cute gray tabby cat") },
            Tools = { ResponseTool.CreateImageGenerationTool("gpt-image-1", size: ImageGenerationToolSize.W1024xH1024) },
        };

        var result = await client.CreateResponseAsync(options, TestTimeouts.Token()).DefaultTimeout();

        Assert.Equal(ResponseStatus.Completed, result.Value.Status);
        var call = result.Value.OutputItems.OfType<ImageGenerationCallResponseItem>().Single();
        TestImages.AssertImage(call.ImageResultBytes.ToArray(), ImageFormat.Png, 1024, 1024);
        Assert.Contains("tabby", call.RevisedPrompt, StringComparison.Ordinal);
        Assert.Single(result.Value.OutputItems.OfType<MessageResponseItem>());
        using var json = JsonDocument.Parse(result.GetRawResponse().Content);
        Assert.True(json.RootElement.GetProperty("tool_usage").GetProperty("image_gen").GetProperty("output_tokens").GetInt32() > 0);
        Assert.Equal(100, json.RootElement.GetProperty("tools")[0].GetProperty("output_compression").GetInt32());
    }

    [Fact]
    public async Task CreateResponse_PreviousResponseId_EditsEarlierImage()
    {
        var client = Clients.Responses(Emulator);
        var first = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = "gpt-4.1",
            InputItems = { ResponseItem.CreateUserMessageItem("a castle") },
            Tools = { ResponseTool.CreateImageGenerationTool("gpt-image-1") },
        }, TestTimeouts.Token()).DefaultTimeout();

        var second = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = "gpt-4.1",
            PreviousResponseId = first.Value.Id,
            InputItems = { ResponseItem.CreateUserMessageItem("make it night") },
            Tools = { ResponseTool.CreateImageGenerationTool("gpt-image-1") },
        }, TestTimeouts.Token()).DefaultTimeout();

        var edited = second.Value.OutputItems.OfType<ImageGenerationCallResponseItem>().Single();
        TestImages.AssertImage(edited.ImageResultBytes.ToArray(), ImageFormat.Png, 1024, 1024);
        Assert.Equal(ImageGenerationToolAction.Edit, edited.Action);
    }

    [Fact]
    public async Task CreateResponse_ProtocolStreamWithoutPartials_HasNoPartialEvents()
    {
        using var http = Clients.Http(Emulator);
        var body = """
            {"model":"gpt-4.1","input":"a kite","stream":true,"tool_choice":{"type":"image_generation"},
             "tools":[{"type":"image_generation","output_format":"webp","partial_images":0}]}
            """;

        using var response = await http.PostAsync("/v1/responses", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestTimeouts.Token()).DefaultTimeout();
        var events = await SseReader.ReadOpenAIEventsAsync(response);

        Assert.Equal("text/event-stream; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.DoesNotContain(events, e => e.Type == "response.image_generation_call.partial_image");
        Assert.DoesNotContain(events, e => e.Type == "[DONE]");
        Assert.All(events, e => Assert.Equal(e.Type, e.Data.GetProperty("type").GetString()));
        var done = events.Single(e => e.Type == "response.output_item.done" && e.Data.GetProperty("item").GetProperty("type").GetString() == "image_generation_call");
        TestImages.AssertImage(Convert.FromBase64String(done.Data.GetProperty("item").GetProperty("result").GetString()!), ImageFormat.WebP, 1024, 1024);
        Assert.Equal("response.completed", events[^1].Type);
    }

    [Fact]
    public async Task CreateResponse_TransparentJpegTool_Returns400InvalidValueBackground()
    {
        using var http = Clients.Http(Emulator);
        var body = """
            {"model":"gpt-4.1","input":"a logo","tool_choice":{"type":"image_generation"},
             "tools":[{"type":"image_generation","output_format":"jpeg","background":"transparent"}]}
            """;

        using var response = await http.PostAsync("/v1/responses", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestTimeouts.Token()).DefaultTimeout();

        Assert.Equal(400, (int)response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()).DefaultTimeout());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("tools[0].background", error.GetProperty("param").GetString());
        Assert.Equal("invalid_value", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task CreateResponse_InputImageDeclaringTooManyPixels_Returns400ImageTooLarge()
    {
        using var http = Clients.Http(Emulator);
        var dataUrl = "data:image/png;base64," + Convert.ToBase64String(TestImages.PngDeclaring(60_000, 60_000));
        var body = $$"""
            {"model":"gpt-4.1","tool_choice":{"type":"image_generation"},"tools":[{"type":"image_generation"}],
             "input":[{"role":"user","content":[{"type":"input_text","text":"make it night"},{"type":"input_image","image_url":"{{dataUrl}}"}]}]}
            """;

        using var response = await http.PostAsync("/v1/responses", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestTimeouts.Token()).DefaultTimeout();

        Assert.Equal(400, (int)response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()).DefaultTimeout());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("image_too_large", error.GetProperty("code").GetString());
        Assert.Equal("input", error.GetProperty("param").GetString());
        Assert.Contains("60000x60000", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateResponse_MissingModel_Returns400MissingParameter()
    {
        var client = Clients.Responses(Emulator);

        var ex = await Assert.ThrowsAsync<ClientResultException>(() =>
            client.CreateResponseAsync(BinaryContent.Create(BinaryData.FromString("""{"input":"x"}""")), new RequestOptions())).DefaultTimeout();

        Assert.Equal(400, ex.Status);
        using var json = JsonDocument.Parse(ex.GetRawResponse()!.Content);
        Assert.Equal("model", json.RootElement.GetProperty("error").GetProperty("param").GetString());
    }
}
