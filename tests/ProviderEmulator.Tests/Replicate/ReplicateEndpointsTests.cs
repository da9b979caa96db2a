using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Imaging;
using ProviderEmulator.Tests.Support;

namespace ProviderEmulator.Tests.Replicate;

public class ReplicateEndpointsTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Schnell = "/api.replicate.com/v1/models/black-forest-labs/flux-schnell/predictions";

    private RunningEmulator Emulator => fixture.Emulator;

    [Fact]
    public async Task Prediction_CreatedThenPolled_StartsProcessesAndSucceedsWithADeliveryUrl()
    {
        using var http = Clients.Http(Emulator);

        using var created = await PostAsync(http, Schnell, new { input = new { prompt = "a fox", aspect_ratio = "16:9", megapixels = "0.25", output_format = "png" } });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var prediction = await JsonAsync(created);
        Assert.Equal("starting", prediction.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, prediction.GetProperty("output").ValueKind);
        Assert.Equal("black-forest-labs/flux-schnell", prediction.GetProperty("model").GetString());
        var get = prediction.GetProperty("urls").GetProperty("get").GetString()!;
        Assert.StartsWith(new Uri(Emulator.BaseAddress, "/api.replicate.com/v1/predictions/").ToString(), get, StringComparison.Ordinal);

        Assert.Equal("processing", (await GetAsync(http, get)).GetProperty("status").GetString());
        var done = await GetAsync(http, get);

        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        var url = Assert.Single(done.GetProperty("output").EnumerateArray()).GetString()!;
        Assert.StartsWith(new Uri(Emulator.BaseAddress, "/replicate.delivery/").ToString(), url, StringComparison.Ordinal);
        var info = ImageInspector.Inspect(await http.GetByteArrayAsync(url, TestTimeouts.Token()).DefaultTimeout());
        Assert.Equal((ImageFormat.Png, 672, 384), (info.Format, info.Width, info.Height));
    }

    [Fact]
    public async Task Prediction_Cancelled_StaysCanceled()
    {
        using var http = Clients.Http(Emulator);
        using var created = await PostAsync(http, Schnell, new { input = new { prompt = "a fox" } });
        var urls = (await JsonAsync(created)).GetProperty("urls");

        using var cancel = await PostAsync(http, urls.GetProperty("cancel").GetString()!, new { });

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("canceled", (await JsonAsync(cancel)).GetProperty("status").GetString());
        Assert.Equal("canceled", (await GetAsync(http, urls.GetProperty("get").GetString()!)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Prediction_ContentPolicyFault_EndsFailedWithReplicatesNsfwError()
    {
        using var http = Clients.Http(Emulator);
        http.DefaultRequestHeaders.Add("x-emulator-fault", "content-policy");
        using var created = await PostAsync(http, Schnell, new { input = new { prompt = "a fox" } });
        var get = (await JsonAsync(created)).GetProperty("urls").GetProperty("get").GetString()!;

        await GetAsync(http, get);
        var done = await GetAsync(http, get);

        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Contains("NSFW", done.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prediction_PartialDelayFault_KeepsItProcessing()
    {
        using var http = Clients.Http(Emulator);
        using var request = new HttpRequestMessage(HttpMethod.Post, Schnell) { Content = JsonContent.Create(new { input = new { prompt = "a fox" } }) };
        request.Headers.Add("x-emulator-fault", "partial-delay=60s");
        using var created = await http.SendAsync(request, TestTimeouts.Token()).DefaultTimeout();
        var get = (await JsonAsync(created)).GetProperty("urls").GetProperty("get").GetString()!;

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("processing", (await GetAsync(http, get)).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Prediction_InvalidAspectRatio_Returns422WithInvalidFields()
    {
        using var http = Clients.Http(Emulator);

        using var response = await PostAsync(http, Schnell, new { input = new { prompt = "a fox", aspect_ratio = "7:3" } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = await JsonAsync(response);
        Assert.Equal("Input validation failed", error.GetProperty("title").GetString());
        Assert.Equal(422, error.GetProperty("status").GetInt32());
        Assert.Equal("input.aspect_ratio", error.GetProperty("invalid_fields")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Prediction_NoKey_Returns401ProblemDetails()
    {
        using var http = Clients.Http(Emulator, apiKey: null);

        using var response = await PostAsync(http, Schnell, new { input = new { prompt = "a fox" } });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Unauthenticated", (await JsonAsync(response)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Prediction_RateLimitFault_Returns429WithRetryAfter()
    {
        using var http = Clients.Http(Emulator);
        http.DefaultRequestHeaders.Add("x-emulator-fault", "rate-limit=2");

        using var response = await PostAsync(http, Schnell, new { input = new { prompt = "a fox" } });

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("2", response.Headers.GetValues("Retry-After").Single());
        Assert.Contains("throttled", (await JsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prediction_UnknownModelOrId_Returns404()
    {
        using var http = Clients.Http(Emulator);

        using var model = await PostAsync(http, "/api.replicate.com/v1/models/nobody/nothing/predictions", new { input = new { prompt = "a fox" } });
        using var id = await http.GetAsync("/api.replicate.com/v1/predictions/doesnotexist", TestTimeouts.Token()).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, model.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, id.StatusCode);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string url, object body) =>
        http.PostAsJsonAsync(url, body, TestTimeouts.Token()).DefaultTimeout();

    private static async Task<JsonElement> GetAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url, TestTimeouts.Token()).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()).DefaultTimeout());
        return json.RootElement.Clone();
    }
}
