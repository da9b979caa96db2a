using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Tests.TestSupport;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Pipeline.ServiceDefaults.Grpc;

namespace Gateway.Tests.OpenAI;

/// <summary>The OpenAI images endpoints' own behaviour: request reading, model rule, router statuses as OpenAI errors.</summary>
public sealed class ImagesEndpointsTests : IAsyncLifetime
{
    private GatewayEnvironment _env = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _env = await GatewayEnvironment.StartAsync();
        _client = _env.Gateway.CreateClient(GatewayEnvironment.ApiKey);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _env.DisposeAsync();
    }

    [Fact]
    public async Task Generations_NoModel_RouterDefaultForModeFast()
    {
        using var response = await _client.PostAsJsonAsync("/v1/images/generations", new { prompt = "a fox" }).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var generate = Assert.Single(_env.Router.Calls.Generates);
        Assert.Equal(("", "fast"), (generate.Config, generate.Mode));
        Assert.Equal("gpt-image-1", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pipeline").GetProperty("config").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Generations_PipelineObject_ShowsCostWhetherItIsKnownAndWhatWasCharged(bool known)
    {
        _env.Router.Script.CostKnown = known;

        using var response = await _client.PostAsJsonAsync("/v1/images/generations", new { prompt = "a fox", n = 2 }).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pipeline = (await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("pipeline");
        Assert.Equal((2468L, known, 2468L),
            (pipeline.GetProperty("cost_usd_micros").GetInt64(), pipeline.GetProperty("cost_known").GetBoolean(), pipeline.GetProperty("charged_usd_micros").GetInt64()));
        Assert.All(pipeline.GetProperty("images").EnumerateArray(), image =>
            Assert.Equal((1234L, known, 1234L),
                (image.GetProperty("cost_usd_micros").GetInt64(), image.GetProperty("cost_known").GetBoolean(), image.GetProperty("charged_usd_micros").GetInt64())));
    }

    [Fact]
    public async Task Generations_VendorPrefixedProviderModel_ItsBaseConfig()
    {
        using var response = await _client.PostAsJsonAsync("/v1/images/generations", new { prompt = "a fox", model = "google/gemini-2.5-flash-image", style = "vivid" }).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var generate = Assert.Single(_env.Router.Calls.Generates);
        Assert.Equal("gemini-2.5-flash-image", generate.Config);
        Assert.Equal(Value.ForString("vivid"), generate.Parameters.Extra["style"]);
    }

    [Fact]
    public async Task Generations_UnknownModel_404ModelNotFoundAndNoGeneration()
    {
        using var response = await _client.PostAsJsonAsync("/v1/images/generations", new { prompt = "x", model = "dall-e-9" }).DefaultTimeout();

        var error = await OpenAIErrorAssert.EnvelopeAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(("model", "model_not_found"), (error.GetProperty("param").GetString(), error.GetProperty("code").GetString()));
        Assert.Empty(_env.Router.Calls.Generates);
    }

    [Fact]
    public async Task Generations_EditConfig_400OnModelNamingAlternatives()
    {
        using var response = await _client.PostAsJsonAsync("/v1/images/generations", new { prompt = "x", model = "gpt-image-1_edit" }).DefaultTimeout();

        var error = await OpenAIErrorAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("model", error.GetProperty("param").GetString());
        Assert.Contains("gpt-image-1_highquality", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("{\"prompt\":\"x\",\"colour\":\"red\"}", "colour", "unknown_parameter")]
    [InlineData("{\"prompt\":\"x\",\"n\":\"two\"}", "n", "invalid_type")]
    [InlineData("{\"model\":\"gpt-image-1\"}", "prompt", "missing_required_parameter")]
    [InlineData("{\"prompt\":\"x\",\"response_format\":\"gif\"}", "response_format", "invalid_value")]
    [InlineData("{\"prompt\":", null, "invalid_json")]
    public async Task Generations_BadRequestBody_400WithParamAndNothingReachesTheRouter(string body, string? param, string code)
    {
        using var response = await _client.PostAsync("/v1/images/generations", new StringContent(body, Encoding.UTF8, "application/json")).DefaultTimeout();

        var error = await OpenAIErrorAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(0, _env.Router.Calls.Count);
    }

    [Fact]
    public async Task Edits_NoImage_400MissingImage()
    {
        var body = new Multipart().Text("prompt", "x").Text("model", "gpt-image-1");

        using var response = await _client.PostAsync("/v1/images/edits", body.Content).DefaultTimeout();

        var error = await OpenAIErrorAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("image", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Generations_RouterInvalidArgument_400WithTheViolatedParameter()
    {
        _env.Router.Script.FailBeforeAccepted = RichStatus.Create(StatusCode.InvalidArgument, "config 'gpt-image-1' sets size='7x7'; allowed: 1024x1024, auto",
            new Google.Rpc.BadRequest { FieldViolations = { new Google.Rpc.BadRequest.Types.FieldViolation { Field = "parameters.size", Description = "not allowed" } } }).ToRpcException();

        using var response = await _client.PostAsJsonAsync("/v1/images/generations", new { prompt = "x", model = "gpt-image-1", size = "7x7" }).DefaultTimeout();

        var error = await OpenAIErrorAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(("invalid_request_error", "size"), (error.GetProperty("type").GetString(), error.GetProperty("param").GetString()));
        Assert.Contains("allowed: 1024x1024, auto", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Generations_RouterResourceExhausted_429WithRetryAfterFromRetryInfo()
    {
        _env.Router.Script.FailBeforeAccepted = RichStatus.Create(StatusCode.ResourceExhausted, "provider rate limit",
            new Google.Rpc.RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(6.2)) }).ToRpcException();

        using var response = await _client.PostAsJsonAsync("/v1/images/generations", new { prompt = "x", model = "gpt-image-1" }).DefaultTimeout();

        var error = await OpenAIErrorAssert.EnvelopeAsync(response, HttpStatusCode.TooManyRequests);
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("7", response.Headers.GetValues("retry-after").Single());
    }

    [Fact]
    public async Task GenerationsStreaming_RouterFailsMidStream_ErrorEventWithEnvelope()
    {
        _env.Router.Script.FailAfterPartials = new RpcException(new Status(StatusCode.Unavailable, "provider went away"));

        using var response = await _client.PostAsJsonAsync("/v1/images/generations", new { prompt = "x", model = "gpt-image-1", stream = true, partial_images = 1 }).DefaultTimeout();
        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, events.Length);
        Assert.StartsWith("event: image_generation.partial_image\ndata: ", events[0]);
        Assert.StartsWith("event: error\ndata: ", events[1]);
        using var error = JsonDocument.Parse(events[1]["event: error\ndata: ".Length..]);
        Assert.Equal("error", error.RootElement.GetProperty("type").GetString());
        Assert.Equal("service_unavailable_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("provider went away", error.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Models_AcceptLanguageGerman_GermanDisplayNames()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.AcceptLanguage.ParseAdd("de-DE,de;q=0.9,en;q=0.5");

        using var response = await _client.SendAsync(request).DefaultTimeout();

        var models = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data");
        Assert.Contains(FakeCatalogue.GermanDisplayName, models.EnumerateArray().Select(m => m.GetProperty("pipeline").GetProperty("display_name").GetString()));
        Assert.Equal("de-DE", Assert.Single(_env.Router.Calls.All).Request is Pipeline.Contracts.ImageGen.V1.ListConfigsRequest list ? list.Language : null);
    }

    [Fact]
    public async Task Model_Unknown_404Envelope()
    {
        using var response = await _client.GetAsync("/v1/models/nope").DefaultTimeout();

        await OpenAIErrorAssert.EnvelopeAsync(response, HttpStatusCode.NotFound);
    }
}
