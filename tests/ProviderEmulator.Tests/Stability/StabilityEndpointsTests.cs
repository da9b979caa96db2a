using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Pipeline.Imaging;
using ProviderEmulator.Tests.Support;

namespace ProviderEmulator.Tests.Stability;

public class StabilityEndpointsTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Core = "/api.stability.ai/v2beta/stable-image/generate/core";

    private RunningEmulator Emulator => fixture.Emulator;

    [Fact]
    public async Task Generate_AcceptJson_ReturnsBase64ImageOfTheAspectRatio()
    {
        using var http = Clients.Http(Emulator);

        using var response = await SendAsync(http, Core, "application/json",
            new Multipart().Text("prompt", "a lighthouse at dusk").Text("aspect_ratio", "16:9").Text("seed", "42").Text("output_format", "jpeg"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()).DefaultTimeout());
        Assert.Equal("SUCCESS", json.RootElement.GetProperty("finish_reason").GetString());
        Assert.Equal(42, json.RootElement.GetProperty("seed").GetInt64());
        var info = ImageInspector.Inspect(Convert.FromBase64String(json.RootElement.GetProperty("image").GetString()!));
        Assert.Equal((ImageFormat.Jpeg, 1344, 768), (info.Format, info.Width, info.Height));
    }

    [Fact]
    public async Task Generate_AcceptImage_ReturnsRawBytesWithFinishReasonAndSeedHeaders()
    {
        using var http = Clients.Http(Emulator);

        using var response = await SendAsync(http, "/api.stability.ai/v2beta/stable-image/generate/ultra", "image/*",
            new Multipart().Text("prompt", "a fox").Text("output_format", "webp"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("SUCCESS", response.Headers.GetValues("finish-reason").Single());
        Assert.True(long.Parse(response.Headers.GetValues("seed").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        var info = ImageInspector.Inspect(await response.Content.ReadAsByteArrayAsync(TestTimeouts.Token()).DefaultTimeout());
        Assert.Equal((ImageFormat.WebP, 1024, 1024), (info.Format, info.Width, info.Height));
    }

    [Fact]
    public async Task Generate_NoPrompt_Returns400InStabilitysEnvelope()
    {
        using var http = Clients.Http(Emulator);

        using var response = await SendAsync(http, Core, "application/json", new Multipart().Text("aspect_ratio", "1:1"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()).DefaultTimeout());
        Assert.Equal("bad_request", json.RootElement.GetProperty("name").GetString());
        Assert.Equal("prompt: cannot be empty", json.RootElement.GetProperty("errors")[0].GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Generate_NoAuthorization_Returns401Unauthorized()
    {
        using var http = Clients.Http(Emulator, apiKey: null);

        using var response = await SendAsync(http, Core, "application/json", new Multipart().Text("prompt", "a fox"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()).DefaultTimeout());
        Assert.Equal("unauthorized", json.RootElement.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("content-policy", 403, "content_moderation")]
    [InlineData("rate-limit=3", 429, "rate_limit_exceeded")]
    [InlineData("status=500", 500, "internal_error")]
    public async Task Generate_Fault_ReturnsStabilitysError(string fault, int status, string name)
    {
        using var http = Clients.Http(Emulator);

        using var response = await SendAsync(http, Core, "application/json", new Multipart().Text("prompt", "a fox"), fault);

        Assert.Equal(status, (int)response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()).DefaultTimeout());
        Assert.Equal(name, json.RootElement.GetProperty("name").GetString());
        if (status == 429)
        {
            Assert.Equal("3", response.Headers.GetValues("retry-after").Single());
        }
    }

    [Fact]
    public async Task Generate_UnknownModelPath_Returns404()
    {
        using var http = Clients.Http(Emulator);

        using var response = await SendAsync(http, "/api.stability.ai/v2beta/stable-image/generate/sdxl", "application/json", new Multipart().Text("prompt", "a fox"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Generate_IsInTheTrafficLogWithAKeyHashNotTheKey()
    {
        using var http = Clients.Http(Emulator);

        using var response = await SendAsync(http, "/api.stability.ai/v2beta/stable-image/generate/sd3", "application/json",
            new Multipart().Text("prompt", "a fox").Text("model", "sd3.5-large"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var started = await Emulator.Traffic.WaitForAsync(e => e.Path == "/api.stability.ai/v2beta/stable-image/generate/sd3", TestTimeouts.Token()).DefaultTimeout();
        Assert.Equal(ProviderEmulator.Hosting.EmulatorEvent.KeyIdOf(Clients.ApiKey), started.KeyId);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, string accept, Multipart form, string? fault = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(form.Build()) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", form.ContentType);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        if (fault is not null)
        {
            request.Headers.Add("x-emulator-fault", fault);
        }
        return await http.SendAsync(request, TestTimeouts.Token()).DefaultTimeout();
    }
}
