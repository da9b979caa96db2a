using System.Net;
using System.Text;
using Gateway.Tests.TestSupport;
using SkiaSharp;

namespace Gateway.Tests.RequestLimits;

/// <summary>Bodies over <c>Gateway:Limits:MaxRequestBodyBytes</c> get 413 with the OpenAI envelope and never reach the router.</summary>
public sealed class RequestSizeLimitTests : IAsyncLifetime
{
    private GatewayEnvironment _env = null!;

    public async ValueTask InitializeAsync() =>
        _env = await GatewayEnvironment.StartAsync(new Dictionary<string, string?> { ["Gateway:Limits:MaxRequestBodyBytes"] = "8192" });

    public async ValueTask DisposeAsync() => await _env.DisposeAsync();

    [Theory]
    [InlineData("/api/runs?status=")]
    [InlineData("/v1/models?x=")]
    public async Task LongUrl_OverTheLimit_414EnvelopeAndNothingForwarded(string path)
    {
        using var client = _env.Gateway.CreateClient(GatewayEnvironment.ApiKey);

        using var response = await client.GetAsync(path + new string('t', 20_000)).DefaultTimeout();

        var error = await OpenAIErrorAssert.EnvelopeAsync(response, HttpStatusCode.RequestUriTooLong);
        Assert.Contains("8192 characters", error.GetProperty("message").GetString());
        Assert.Equal(0, _env.Router.Calls.Count);
    }

    [Fact]
    public async Task Edits_DeclaredLengthOverLimit_413()
    {
        var body = new Multipart().Text("prompt", "x").Text("model", "gpt-image-1").File("image[]", "big.png", RandomBytes(20_000));
        using var client = _env.Gateway.CreateClient(GatewayEnvironment.ApiKey);

        using var response = await client.PostAsync("/v1/images/edits", body.Content).DefaultTimeout();

        var error = await OpenAIErrorAssert.EnvelopeAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("8192 bytes", error.GetProperty("message").GetString());
        Assert.Equal(0, _env.Router.Calls.Count);
    }

    [Fact]
    public async Task Generations_ChunkedBodyOverLimit_413()
    {
        var json = "{\"model\":\"gpt-image-1\",\"prompt\":\"" + new string('a', 20_000) + "\"}";
        using var content = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var client = _env.Gateway.CreateClient(GatewayEnvironment.ApiKey);

        using var response = await client.PostAsync("/v1/images/generations", content).DefaultTimeout();

        Assert.Null(response.RequestMessage!.Content!.Headers.ContentLength);
        await OpenAIErrorAssert.EnvelopeAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, _env.Router.Calls.Count);
    }

    [Fact]
    public async Task ApiGenerate_DeclaredLengthOverLimit_413BeforeTheProxy()
    {
        using var client = _env.Gateway.CreateClient(GatewayEnvironment.ApiKey);
        using var content = new StringContent("{\"config\":\"gpt-image-1\",\"prompt\":\"" + new string('b', 20_000) + "\"}", Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/api/generate", content).DefaultTimeout();

        await OpenAIErrorAssert.EnvelopeAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, _env.Router.Calls.Count);
    }

    [Fact]
    public async Task ApiGenerate_ChunkedBodyOverLimit_413EnvelopeAndNoGenerationStarts()
    {
        using var client = _env.Gateway.CreateClient(GatewayEnvironment.ApiKey);

        // JsonContent has no length: the proxy streams the body and Kestrel stops it at the limit.
        using var response = await client.PostAsJsonAsync("/api/generate", new { prompt = new string('b', 20_000), config = "gpt-image-1" }).DefaultTimeout();

        await OpenAIErrorAssert.EnvelopeAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Empty(_env.Router.Calls.Generates);
    }

    [Fact]
    public async Task Edits_UnderLimit_Accepted()
    {
        var body = new Multipart().Text("prompt", "x").Text("model", "gpt-image-1").File("image[]", "small.png", TestImages.Png(8, 8, new SKColor(1, 2, 3)));
        using var client = _env.Gateway.CreateClient(GatewayEnvironment.ApiKey);

        using var response = await client.PostAsync("/v1/images/edits", body.Content).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Hides the length, so HttpClient sends the body chunked (no Content-Length).</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
