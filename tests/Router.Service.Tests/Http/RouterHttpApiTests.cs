using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Pipeline.Contracts.ImageGen.V1;
using Router.Service.Tests.TestSupport;

namespace Router.Service.Tests.Http;

/// <summary>The HTTP JSON API the gateway forwards <c>/api/**</c> to (contract: briefs/router-http-api.md).</summary>
public sealed class RouterHttpApiTests : IAsyncLifetime
{
    private static readonly JsonParser s_parser = new(JsonParser.Settings.Default);
    private TestFleet _fleet = null!;

    private HttpClient Http => _fleet.Router.Http;

    public async ValueTask InitializeAsync() => _fleet = await TestFleet.StartAsync();

    public async ValueTask DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task PostGenerate_ValidRequest_StreamsAcceptedPartialFinalEventsWithNoBufferingHeaders()
    {
        using var response = await PostGenerateAsync("""{"prompt":"a lighthouse","config":"gpt-image-1","run_id":"http-1","parameters":{"partialImages":1,"n":2},"includeImageData":true}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.True(response.Headers.CacheControl?.NoCache);
        Assert.Equal("no", Assert.Single(response.Headers.GetValues("X-Accel-Buffering")));
        var events = await ReadEventsAsync(response);
        Assert.Equal(["accepted", "partial", "final", "partial", "final"], events.Select(e => e.Name));
        var accepted = s_parser.Parse<Accepted>(events[0].Data);
        Assert.Equal(("http-1", "gpt-image-1", 2), (accepted.RunId, accepted.Config, accepted.ImageCount));
        var finals = events.Where(e => e.Name == "final").Select(e => s_parser.Parse<Final>(e.Data)).ToList();
        Assert.Equal(["http-1-0", "http-1-1"], finals.Select(f => f.ImageId));
        Assert.Equal([false, true], finals.Select(f => f.Last));
        Assert.Equal(AdapterScripts.ImageFor(_fleet.OpenAI.Calls[0].Request, 1), finals[1].Data.ToByteArray());
        Assert.Contains("\"storage\"", events[2].Data);
        Assert.Contains("\"urlPath\": \"/images/http-1-0\"", events[2].Data);
    }

    [Fact]
    public async Task PostGenerate_InvalidParameters_400ProblemDetailsListingEveryViolation()
    {
        using var response = await PostGenerateAsync("""{"prompt":"x","config":"gpt-image-1","parameters":{"size":"1x1","quality":"ultra","n":0}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.Equal(["parameters.n", "parameters.quality", "parameters.size"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Contains("low, medium, high, auto", errors.GetProperty("parameters.quality")[0].GetString());
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("INVALID_ARGUMENT", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(3, problem.RootElement.GetProperty("grpcStatus").GetInt32());
        Assert.Empty(_fleet.AdapterCalls);
    }

    [Fact]
    public async Task PostGenerate_RunIdReusedForAnotherPrompt_409ProblemDetailsNamingWhatDiffersAndNoStream()
    {
        using (var first = await PostGenerateAsync("""{"prompt":"a kite","config":"gpt-image-1","run_id":"http-reused"}"""))
        {
            Assert.Equal(["accepted", "final"], (await ReadEventsAsync(first)).Select(e => e.Name));
        }

        using var response = await PostGenerateAsync("""{"prompt":"a boat","config":"gpt-image-1","run_id":"http-reused"}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ALREADY_EXISTS", problem.RootElement.GetProperty("code").GetString());
        Assert.Contains("(prompt differ)", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Single(_fleet.AdapterCalls);
    }

    [Fact]
    public async Task PostGenerate_FallbackServes_FallbackEventBeforeTheFinalNamingTheServingConfig()
    {
        _fleet.OpenAI.Script("gpt-image-1", AdapterScripts.Fail(StatusCode.Unavailable, "down"));

        using var response = await PostGenerateAsync("""{"prompt":"a kite","config":"gpt-image-1"}""");

        var events = await ReadEventsAsync(response);
        Assert.Equal(["accepted", "fallback", "final"], events.Select(e => e.Name));
        var fallback = s_parser.Parse<Fallback>(events[1].Data);
        Assert.Equal(("gpt-image-1.5", "gpt-image-1"), (fallback.Config, fallback.Earlier.Single().Config));
        Assert.Equal("gpt-image-1.5", s_parser.Parse<Final>(events[2].Data).Config);
    }

    [Fact]
    public async Task PostGenerate_UnknownConfig_404ProblemDetails()
    {
        using var response = await PostGenerateAsync("""{"prompt":"x","config":"nope"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("'nope'", problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal(("NOT_FOUND", 5), (problem.RootElement.GetProperty("code").GetString(), problem.RootElement.GetProperty("grpcStatus").GetInt32()));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"prompt":"x","no_such_field":1}""")]
    public async Task PostGenerate_BodyIsNotAGenerateRequest_400ProblemDetails(string body)
    {
        using var response = await PostGenerateAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("body", out _));
    }

    [Fact]
    public async Task PostGenerate_BodyOverTheLimit_413ProblemDetails()
    {
        await using var router = await RouterHost.StartAsync(null, null, new Dictionary<string, string?> { ["Router:Generation:MaxRequestBytes"] = "1048576" });
        var json = $$"""{"prompt":"x","input_images":[{"data":"{{Convert.ToBase64String(new byte[2 * 1024 * 1024])}}"}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/generate") { Content = new StringContent(json, Encoding.UTF8, "application/json") };

        using var response = await router.Http.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PostGenerate_ProviderRateLimitsAfterAccepted_ErrorEventWithCodeAndRetryAfter()
    {
        var retry = new Google.Rpc.RetryInfo { RetryDelay = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(12)) };
        _fleet.OpenAI.Script("gpt-image-1-mini", AdapterScripts.Fail(StatusCode.ResourceExhausted, "rate limited", retry));

        using var response = await PostGenerateAsync("""{"prompt":"x","config":"gpt-image-1-mini"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await ReadEventsAsync(response);
        Assert.Equal(["accepted", "error"], events.Select(e => e.Name));
        using var error = JsonDocument.Parse(events[1].Data);
        Assert.Equal("RESOURCE_EXHAUSTED", error.RootElement.GetProperty("code").GetString());
        Assert.Equal(8, error.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("rate limited", error.RootElement.GetProperty("message").GetString());
        Assert.Equal(12, error.RootElement.GetProperty("retryAfterSeconds").GetInt32());
    }

    [Fact]
    public async Task GetConfigs_AcceptLanguageGerman_GermanDisplayNames()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/configs");
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("en", 0.5));
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("de-DE", 0.9));

        using var response = await Http.SendAsync(request).DefaultTimeout();

        var configs = s_parser.Parse<ListConfigsResponse>(await response.Content.ReadAsStringAsync());
        Assert.Equal("GPT Image 1 (Entwurf)", configs.Configs.Single(c => c.Name == "gpt-image-1_draft").DisplayName);
        Assert.Equal("gpt-image-1_draft", configs.Defaults["image"].Modes["fast"]);
    }

    [Fact]
    public async Task GetConfigs_LanguageQuery_BeatsAcceptLanguage()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/configs?language=en");
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("de"));

        using var response = await Http.SendAsync(request).DefaultTimeout();

        var configs = s_parser.Parse<ListConfigsResponse>(await response.Content.ReadAsStringAsync());
        Assert.Equal("GPT Image 1 (draft)", configs.Configs.Single(c => c.Name == "gpt-image-1_draft").DisplayName);
    }

    [Fact]
    public async Task GetRun_GeneratedRun_RunJsonAndUnknownRun404()
    {
        (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1", RunId = "http-run" })).EnsureOk();

        var run = s_parser.Parse<Run>(await Http.GetStringAsync("/api/runs/http-run").DefaultTimeout());
        using var missing = await Http.GetAsync("/api/runs/not-there").DefaultTimeout();

        Assert.Equal(("http-run", RunStatus.Succeeded, "/images/http-run-0"), (run.RunId, run.Status, Assert.Single(run.Images).UrlPath));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GetRuns_Limit_NewestFirst()
    {
        foreach (var id in new[] { "older", "middle", "newest" })
        {
            (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1", RunId = id })).EnsureOk();
        }

        using var document = JsonDocument.Parse(await Http.GetStringAsync("/api/runs?limit=2").DefaultTimeout());

        var runs = document.RootElement.GetProperty("runs").EnumerateArray().Select(r => s_parser.Parse<Run>(r.GetRawText())).ToList();
        Assert.Equal(["newest", "middle"], runs.Select(r => r.RunId));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("201")]
    [InlineData("ten")]
    public async Task GetRuns_BadLimit_400ProblemDetails(string limit)
    {
        using var response = await Http.GetAsync($"/api/runs?limit={limit}").DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("101")]
    [InlineData("not-a-token!")]
    public async Task GetRuns_PageTokenStorageNeverIssued_400ProblemDetailsNamingIt(string token)
    {
        using var response = await Http.GetAsync($"/api/runs?page_token={Uri.EscapeDataString(token)}").DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("page_token", await response.Content.ReadAsStringAsync().DefaultTimeout(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/")]
    [InlineData("/api/runs/a/b/c")]
    [InlineData("/api/nothing-here")]
    public async Task Get_UnknownApiPath_404ProblemDetailsListingTheRoutes(string path)
    {
        using var response = await Http.GetAsync(path).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("POST /api/generate", await response.Content.ReadAsStringAsync().DefaultTimeout(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PostGenerateAsync(string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/generate") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
    }

    /// <summary>Reads the whole event stream: <c>event:</c> + one <c>data:</c> line, events separated by a blank line.</summary>
    private static async Task<List<(string Name, string Data)>> ReadEventsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();
        var events = new List<(string, string)>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0]);
            Assert.StartsWith("data: ", lines[1]);
            events.Add((lines[0]["event: ".Length..], lines[1]["data: ".Length..]));
        }
        Assert.EndsWith("\n\n", text);
        return events;
    }
}
