using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using OpenAI.Images;
using OpenAI.Responses;
using Pipeline.Imaging;
using ProviderEmulator.Faults;
using ProviderEmulator.Hosting;
using ProviderEmulator.Tests.Support;

namespace ProviderEmulator.Tests.Faults;

/// <summary>One test per fault mode on the OpenAI routes: the client sees what the real provider would send.</summary>
public class FaultInjectionTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private RunningEmulator Emulator => fixture.Emulator;

    [Fact]
    public async Task Latency_DelaysTheResponse()
    {
        var client = Clients.Images(Emulator, "dall-e-2", "latency=300ms");
        var stopwatch = Stopwatch.StartNew();

        await client.GenerateImageAsync("x", new ImageGenerationOptions { Size = GeneratedImageSize.W256xH256, ResponseFormat = GeneratedImageFormat.Bytes }, TestTimeouts.Token()).DefaultTimeout();

        Assert.True(stopwatch.ElapsedMilliseconds >= 290, $"took {stopwatch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task PartialDelay_SpacesStreamedPartials()
    {
        var client = Clients.Images(Emulator, "gpt-image-1", "partial-delay=150ms");
        var arrivals = new List<long>();
        var stopwatch = Stopwatch.StartNew();

        await using (var stream = await client.GenerateImagesStreamingAsync(StreamBody(partials: 2), new RequestOptions()).DefaultTimeout())
        {
            await foreach (var item in stream.WithCancellation(TestTimeouts.Token()))
            {
                arrivals.Add(stopwatch.ElapsedMilliseconds);
            }
        }

        // The pause comes before each event, so event i cannot arrive before (i + 1) pauses have passed since the request.
        // Measured from the request (not between events): a client slow to read one event cannot shrink the figure.
        Assert.Equal(3, arrivals.Count);
        for (var i = 0; i < arrivals.Count; i++)
        {
            Assert.True(arrivals[i] >= (i + 1) * 145, $"event {i} at {arrivals[i]} ms (events at {string.Join(", ", arrivals)} ms)");
        }
    }

    [Fact]
    public async Task RateLimit_Returns429WithRetryAfterAndRateLimitHeaders()
    {
        var client = Clients.Images(Emulator, "gpt-image-1", "rate-limit=3");

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.GenerateImageAsync("x", cancellationToken: TestTimeouts.Token())).DefaultTimeout();

        Assert.Equal(429, ex.Status);
        var response = ex.GetRawResponse()!;
        Assert.Equal("3", Header(response, "retry-after"));
        Assert.Equal("0", Header(response, "x-ratelimit-remaining-requests"));
        Assert.Equal("3s", Header(response, "x-ratelimit-reset-requests"));
        Assert.NotNull(Header(response, "x-request-id"));
        var error = Error(response);
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("requests", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task InsufficientQuota_Returns429InsufficientQuota()
    {
        var client = Clients.Images(Emulator, "gpt-image-1", "insufficient-quota");

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.GenerateImageAsync("x", cancellationToken: TestTimeouts.Token())).DefaultTimeout();

        Assert.Equal(429, ex.Status);
        Assert.Equal("insufficient_quota", Error(ex.GetRawResponse()!).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(500, "server_error", null)]
    [InlineData(503, "service_unavailable_error", "server_is_overloaded")]
    public async Task Status_ReturnsServerErrorEnvelope(int status, string type, string? code)
    {
        var client = Clients.Images(Emulator, "gpt-image-1", $"status={status}");

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.GenerateImageAsync("x", cancellationToken: TestTimeouts.Token())).DefaultTimeout();

        Assert.Equal(status, ex.Status);
        var error = Error(ex.GetRawResponse()!);
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task ContentPolicy_GptImage_Returns400ModerationBlocked()
    {
        var client = Clients.Images(Emulator, "gpt-image-1", "content-policy");

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.GenerateImageAsync("x", cancellationToken: TestTimeouts.Token())).DefaultTimeout();

        Assert.Equal(400, ex.Status);
        var error = Error(ex.GetRawResponse()!);
        Assert.Equal("image_generation_user_error", error.GetProperty("type").GetString());
        Assert.Equal("moderation_blocked", error.GetProperty("code").GetString());
        Assert.Equal("input", error.GetProperty("moderation_details").GetProperty("moderation_stage").GetString());
    }

    [Fact]
    public async Task ContentPolicy_DallE_Returns400ContentPolicyViolation()
    {
        var client = Clients.Images(Emulator, "dall-e-3", "content-policy");

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.GenerateImageAsync("x", cancellationToken: TestTimeouts.Token())).DefaultTimeout();

        Assert.Equal("content_policy_violation", Error(ex.GetRawResponse()!).GetProperty("code").GetString());
    }

    [Fact]
    public async Task ContentPolicy_ResponsesStream_EndsWithResponseFailed()
    {
        var updates = await StreamResponseAsync("content-policy", partials: 1);

        var failed = Assert.IsType<StreamingResponseFailedUpdate>(updates[^1]);
        Assert.Equal(ResponseStatus.Failed, failed.Response.Status);
        Assert.Equal("moderation_blocked", failed.Response.Error.Code.ToString());
    }

    [Fact]
    public async Task MidStreamError_ImagesStream_SendsErrorEventAfterFirstPartial()
    {
        var client = Clients.Images(Emulator, "gpt-image-1", "mid-stream-error");
        var events = new List<(string Type, string Data)>();

        await using (var stream = await client.GenerateImagesStreamingAsync(StreamBody(partials: 3), new RequestOptions()).DefaultTimeout())
        {
            await foreach (var item in stream.WithCancellation(TestTimeouts.Token()))
            {
                events.Add((item.EventType, item.Data.ToString()));
            }
        }

        Assert.Equal(["image_generation.partial_image", "error"], events.Select(e => e.Type));
        using var json = JsonDocument.Parse(events[1].Data);
        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("server_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task MidStreamError_ResponsesFlatShape_SdkReadsCodeAndMessage()
    {
        var updates = await StreamResponseAsync("mid-stream-error", partials: 1);

        var error = Assert.IsType<StreamingResponseErrorUpdate>(updates[^1]);
        Assert.Equal("server_error", error.Code);
        Assert.False(string.IsNullOrEmpty(error.Message));
        Assert.Equal(updates.Count - 1, error.SequenceNumber);
    }

    [Fact]
    public async Task MidStreamError_ResponsesNestedShape_SdkSeesNullCode()
    {
        var updates = await StreamResponseAsync("mid-stream-error;error-shape=nested", partials: 1);

        // openai-dotnet 2.15.0 reads only the flat keys; the nested shape the live API has sent leaves them null.
        var error = Assert.IsType<StreamingResponseErrorUpdate>(updates[^1]);
        Assert.Null(error.Code);
        Assert.Null(error.Message);
    }

    [Fact]
    public async Task ResponseFailed_ResponsesStream_EndsWithFailedResponse()
    {
        var updates = await StreamResponseAsync("response-failed", partials: 2);

        var failed = Assert.IsType<StreamingResponseFailedUpdate>(updates[^1]);
        Assert.Equal("server_error", failed.Response.Error.Code.ToString());
        Assert.Single(updates.OfType<StreamingResponseImageGenerationCallPartialImageUpdate>());
    }

    [Fact]
    public async Task CutStream_ImagesStream_ClientSeesTruncatedStreamWithoutCompletedEvent()
    {
        var client = Clients.Images(Emulator, "gpt-image-1", "cut-stream");
        var types = new List<string>();

        var ex = await Record.ExceptionAsync(async () =>
        {
            await using var stream = await client.GenerateImagesStreamingAsync(StreamBody(partials: 2), new RequestOptions());
            await foreach (var item in stream.WithCancellation(TestTimeouts.Token()))
            {
                types.Add(item.EventType);
            }
        }).DefaultTimeout();

        // The partial sent before the cut normally arrives (the emulator waits 200 ms before resetting), but a reset may
        // discard bytes the client has not read yet; what matters is that no terminal event arrives and reading fails.
        Assert.All(types, type => Assert.Equal("image_generation.partial_image", type));
        Assert.True(ex is not null, "the client must fail on a stream cut without a terminal event");
        Assert.IsNotType<TimeoutException>(ex);
        await Emulator.Traffic.WaitForAsync(e => e.Kind == EmulatorEventKind.ConnectionCut && e.Faults == "cut-stream", TestTimeouts.Token()).DefaultTimeout();
    }

    [Fact]
    public async Task CutStream_NonStreamed_SdkFailsOnTruncatedBody()
    {
        var client = Clients.Images(Emulator, "dall-e-2", "cut-stream");

        var ex = await Record.ExceptionAsync(() =>
            client.GenerateImageAsync("x", new ImageGenerationOptions { Size = GeneratedImageSize.W256xH256, ResponseFormat = GeneratedImageFormat.Bytes }, TestTimeouts.Token())).DefaultTimeout();

        Assert.NotNull(ex);
        Assert.IsNotType<TimeoutException>(ex);
    }

    [Fact]
    public async Task MalformedJson_NonStreamed_Is200WithUnparseableBody()
    {
        using var http = Clients.Http(Emulator);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations")
        {
            Content = new StringContent("""{"model":"dall-e-2","prompt":"x","size":"256x256","response_format":"b64_json"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(FaultParser.HeaderName, "malformed-json");

        using var response = await http.SendAsync(request, TestTimeouts.Token()).DefaultTimeout();
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token()).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
        var client = Clients.Images(Emulator, "dall-e-2", "malformed-json");
        await Assert.ThrowsAnyAsync<Exception>(() => client.GenerateImageAsync("x", new ImageGenerationOptions { Size = GeneratedImageSize.W256xH256, ResponseFormat = GeneratedImageFormat.Bytes }, TestTimeouts.Token())).DefaultTimeout();
    }

    [Fact]
    public async Task MalformedJson_Stream_CompletedEventDataIsNotJson()
    {
        var client = Clients.Images(Emulator, "gpt-image-1", "malformed-json");
        var events = new List<(string Type, string Data)>();

        await using (var stream = await client.GenerateImagesStreamingAsync(StreamBody(partials: 1), new RequestOptions()).DefaultTimeout())
        {
            await foreach (var item in stream.WithCancellation(TestTimeouts.Token()))
            {
                events.Add((item.EventType, item.Data.ToString()));
            }
        }

        Assert.Equal("image_generation.completed", events[^1].Type);
        JsonDocument.Parse(events[0].Data).Dispose();
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(events[^1].Data));
    }

    [Fact]
    public async Task Trickle_BodyArrivesSlowlyInSmallPieces()
    {
        var client = Clients.Images(Emulator, "dall-e-2", "trickle=8KB@20ms");
        var stopwatch = Stopwatch.StartNew();

        var result = await client.GenerateImageAsync("x", new ImageGenerationOptions { Size = GeneratedImageSize.W256xH256, ResponseFormat = GeneratedImageFormat.Bytes }, TestTimeouts.Token()).DefaultTimeout();

        var bodyBytes = result.GetRawResponse().Content.ToMemory().Length;
        var pauses = (bodyBytes - 1) / (8 * 1024);
        Assert.True(pauses >= 2, $"body of {bodyBytes} bytes is too small to trickle");
        Assert.True(stopwatch.ElapsedMilliseconds >= pauses * 20 * 0.9, $"{bodyBytes} bytes in {stopwatch.ElapsedMilliseconds} ms");
        TestImages.AssertImage(result.Value.ImageBytes.ToArray(), ImageFormat.Png, 256, 256);
    }

    [Fact]
    public async Task OversizedImage_ReturnsValidImagePaddedToSize()
    {
        var client = Clients.Images(Emulator, "gpt-image-1", "oversized-image=3MB");

        var result = await client.GenerateImageAsync("x", new ImageGenerationOptions { Size = GeneratedImageSize.W1024xH1024 }, TestTimeouts.Token()).DefaultTimeout();

        var bytes = result.Value.ImageBytes.ToArray();
        Assert.True(bytes.Length >= 3 * 1024 * 1024, $"{bytes.Length} bytes");
        TestImages.AssertImage(bytes, ImageFormat.Png, 1024, 1024);
    }

    [Fact]
    public async Task UnknownFault_Returns400NamingTheHeader()
    {
        var client = Clients.Images(Emulator, "gpt-image-1", "explode");

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.GenerateImageAsync("x", cancellationToken: TestTimeouts.Token())).DefaultTimeout();

        Assert.Equal(400, ex.Status);
        var error = Error(ex.GetRawResponse()!);
        Assert.Equal(FaultParser.HeaderName, error.GetProperty("param").GetString());
        Assert.Contains("explode", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateLimitNextCalls_InstanceOption_FailsThatManyCallsThenRecovers()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { Faults = new EmulatorFaultOptions { RateLimitNextCalls = 2 } }, TestTimeouts.Token()).DefaultTimeout();
        var client = Clients.Images(emulator, "dall-e-2");
        var options = new ImageGenerationOptions { Size = GeneratedImageSize.W256xH256, ResponseFormat = GeneratedImageFormat.Bytes };

        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            try
            {
                await client.GenerateImageAsync("x", options, TestTimeouts.Token()).DefaultTimeout();
                statuses.Add(200);
            }
            catch (ClientResultException ex)
            {
                statuses.Add(ex.Status);
            }
        }

        Assert.Equal([429, 429, 200], statuses);
    }

    [Fact]
    public async Task RateLimitNextCalls_ControlEndpoint_ArmsAtRunTime()
    {
        await using var emulator = await EmulatorHost.StartAsync(cancellationToken: TestTimeouts.Token()).DefaultTimeout();
        using var http = Clients.Http(emulator);

        using var arm = await http.PostAsync("/emulator/faults/rate-limit?calls=1", null, TestTimeouts.Token()).DefaultTimeout();
        using var first = await http.GetAsync("/api/v1/models", TestTimeouts.Token()).DefaultTimeout();
        using var second = await http.GetAsync("/api/v1/models", TestTimeouts.Token()).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, arm.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal("1", first.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task DefaultFaults_InstanceOption_AppliesToEveryRequest()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { Faults = new EmulatorFaultOptions { Default = "status=503" } }, TestTimeouts.Token()).DefaultTimeout();
        var client = Clients.Images(emulator, "gpt-image-1");

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.GenerateImageAsync("x", cancellationToken: TestTimeouts.Token())).DefaultTimeout();

        Assert.Equal(503, ex.Status);
    }

    private static BinaryContent StreamBody(int partials) => BinaryContent.Create(BinaryData.FromObjectAsJson(new
    {
        model = "gpt-image-1",
        prompt = "a storm at sea",
        size = "1024x1024",
        quality = "low",
        stream = true,
        partial_images = partials,
    }));

    private async Task<List<StreamingResponseUpdate>> StreamResponseAsync(string faults, int partials)
    {
        var client = Clients.Responses(Emulator, faults);
        var options = new CreateResponseOptions
        {
            Model = "gpt-4.1",
            StreamingEnabled = true,
            InputItems = { ResponseItem.CreateUserMessageItem("a lighthouse") },
            Tools = { ResponseTool.CreateImageGenerationTool("gpt-image-1", partialImageCount: partials) },
        };
        var updates = new List<StreamingResponseUpdate>();
        await using var stream = await client.CreateResponseStreamingAsync(options, TestTimeouts.Token()).DefaultTimeout();
        await foreach (var update in stream.WithCancellation(TestTimeouts.Token()))
        {
            updates.Add(update);
        }

        return updates;
    }

    private static string? Header(PipelineResponse response, string name) => response.Headers.TryGetValue(name, out var value) ? value : null;

    private static JsonElement Error(PipelineResponse response)
    {
        using var json = JsonDocument.Parse(response.Content);
        return json.RootElement.GetProperty("error").Clone();
    }
}
