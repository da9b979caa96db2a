using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AppHost.Hosting;
using AppHost.Hosting.Testing;

namespace AppHost.Tests;

/// <summary>
/// The whole fleet from the AppHost's Program.cs (emulator in place of the providers), driven like a user drives it:
/// OpenAI-compatible HTTP through the gateway.
/// </summary>
public sealed class FleetEndToEndTests
{
    private const string ApiKey = "pk-fleet-test-key";

    [Fact]
    public async Task Gateway_StreamedGeneration_PartialsThenStoredFinalInOneTraceAcrossTheFleet()
    {
        var ct = TestContext.Current.CancellationToken;
        var app = DistributedApplicationTestingBuilder.CreateFromAppHost([$"PIPELINE_API_KEY={ApiKey}"], o => o.DisableDashboard = false).Build();
        try
        {
            await app.StartAsync(ct).DefaultTimeout();
            await app.WaitForAllHealthyAsync(ct).FleetStartupTimeout();
            using var gateway = CreateGatewayClient(app);
            var traceId = ActivityTraceId.CreateRandom().ToHexString();

            using var request = StreamedGeneration(partialImages: 2);
            request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            var events = await ReadEventsAsync(gateway, request, ct, onEvent: null).DefaultTimeout();

            Assert.Equal(2, events.Count(e => e.Name == "image_generation.partial_image"));
            var completed = Assert.Single(events, e => e.Name == "image_generation.completed").Data;
            Assert.Equal("image_generation.completed", events[^1].Name);
            var image = Convert.FromBase64String(completed.GetProperty("b64_json").GetString()!);
            var imageId = completed.GetProperty("id").GetString()!;
            var stored = await gateway.GetByteArrayAsync($"/images/{imageId}", ct).DefaultTimeout();
            Assert.Equal(image, stored);

            // One trace, whose spans come from every service the request crossed.
            using var dashboard = app.CreateHttpClient("dashboard");
            var trace = await PollAsync(dashboard, $"/api/traces/{traceId}", t =>
            {
                var services = t.GetProperty("services").EnumerateArray().Select(s => s.GetString()).ToHashSet();
                var spansSoFar = t.GetProperty("spans").EnumerateArray().ToList();
                return services.IsSupersetOf(["gateway", "router", "openai", "storage"])
                    && spansSoFar.Any(IsProviderHttpCall) && spansSoFar.Any(IsStoragePut);
            }, ct);
            var spans = trace.GetProperty("spans").EnumerateArray().ToList();
            var providerCall = spans.Single(s => s.GetProperty("service").GetString() == "openai" && s.GetProperty("attributes").TryGetProperty("gen_ai.request.model", out _));
            Assert.Equal("gpt-image-1", providerCall.GetProperty("attributes").GetProperty("gen_ai.request.model").GetString());
            var providerHttp = spans.Single(IsProviderHttpCall);
            Assert.Equal(app.GetEndpoint("emulator").Port, providerHttp.GetProperty("attributes").GetProperty("server.port").GetInt32());
            Assert.Equal(trace.GetProperty("traceId").GetString(), traceId);
            Assert.DoesNotContain(spans, s => s.GetRawText().Contains(completed.GetProperty("b64_json").GetString()![..200], StringComparison.Ordinal));
        }
        finally
        {
            await app.DisposeAsync().AsTask().DefaultTimeout();
        }
    }

    [Fact]
    public async Task KillOpenAIAdapterMidStream_CallEndsWithError_AdapterRestartedAndNextCallSucceeds()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = DistributedApplicationTestingBuilder.CreateFromAppHost($"PIPELINE_API_KEY={ApiKey}");
        // Slow partials keep the call in flight long enough to kill the adapter between two frames.
        builder.Resources.Single(r => r.Name == "emulator").Environment.Add(("Emulator__Faults__Default", () => "partial-delay=2s"));
        var app = builder.Build();
        try
        {
            await app.StartAsync(ct).DefaultTimeout();
            await app.WaitForAllHealthyAsync(ct).FleetStartupTimeout();
            using var gateway = CreateGatewayClient(app);
            var killedPid = 0;

            using var request = StreamedGeneration(partialImages: 3);
            var events = await ReadEventsAsync(gateway, request, ct, onEvent: e =>
            {
                if (e.Name == "image_generation.partial_image" && killedPid == 0)
                {
                    killedPid = app.GetProcessId("openai")!.Value;
                    Process.GetProcessById(killedPid).Kill();
                }
            }).DefaultTimeout();

            Assert.NotEqual(0, killedPid);
            Assert.True(events.All(e => e.Name != "image_generation.completed"),
                $"the stream completed although its adapter was killed: {string.Join(", ", events.Select(e => e.Name))}");
            var error = Assert.Single(events, e => e.Name == "error").Data.GetProperty("error");
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));

            var restarted = await app.ResourceNotifications.WaitForResourceAsync("openai",
                s => s.RestartCount >= 1 && s.State == KnownResourceStates.Running && s.Health == HealthStatus.Healthy, ct).DefaultTimeout();
            Assert.NotEqual(killedPid, restarted.ProcessId);
            Assert.Contains(app.GetConsoleLogs("apphost"), l => l.StartsWith("openai exited with code 137; restarting in", StringComparison.Ordinal));

            using var next = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations")
            {
                Content = Json("""{"model":"gpt-image-1","prompt":"a red fox in snow","size":"1024x1024","quality":"low"}"""),
            };
            using var response = await gateway.SendAsync(next, ct).DefaultTimeout();
            var body = await response.Content.ReadAsStringAsync(ct).DefaultTimeout();
            Assert.True(response.IsSuccessStatusCode, body);
            using var json = JsonDocument.Parse(body);
            Assert.NotEmpty(Convert.FromBase64String(json.RootElement.GetProperty("data")[0].GetProperty("b64_json").GetString()!));
        }
        finally
        {
            await app.DisposeAsync().AsTask().DefaultTimeout();
        }
    }

    private static bool IsProviderHttpCall(JsonElement span) =>
        span.GetProperty("service").GetString() == "openai" && span.GetProperty("kind").GetString() == "client"
        && span.GetProperty("scope").GetString() == "System.Net.Http";

    private static bool IsStoragePut(JsonElement span) =>
        span.GetProperty("service").GetString() == "storage" && span.GetProperty("name").GetString()!.Contains("PutImage", StringComparison.Ordinal);

    private static HttpClient CreateGatewayClient(DistributedApplication app)
    {
        var client = app.CreateHttpClient("gateway");
        client.Timeout = TestTimeouts.Default;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    private static HttpRequestMessage StreamedGeneration(int partialImages) => new(HttpMethod.Post, "/v1/images/generations")
    {
        Content = Json($$"""{"model":"gpt-image-1","prompt":"a red fox in snow","size":"1024x1024","quality":"low","stream":true,"partial_images":{{partialImages}}}"""),
    };

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private sealed record ServerEvent(string Name, JsonElement Data);

    /// <summary>Reads an SSE response to its end, calling <paramref name="onEvent"/> as each event arrives.</summary>
    private static async Task<List<ServerEvent>> ReadEventsAsync(HttpClient client, HttpRequestMessage request, CancellationToken ct, Action<ServerEvent>? onEvent)
    {
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        var events = new List<ServerEvent>();
        string? name = null;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && name is not null)
            {
                var e = new ServerEvent(name, JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
                events.Add(e);
                onEvent?.Invoke(e);
                name = null;
            }
        }
        return events;
    }

    private static async Task<JsonElement> PollAsync(HttpClient client, string path, Func<JsonElement, bool> done, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync(path, ct);
            if (response.IsSuccessStatusCode)
            {
                last = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.Clone();
                if (done(last))
                {
                    return last;
                }
            }
            await Task.Delay(500, ct);
        }
        throw new TimeoutException($"{path} did not reach the expected state within {TestTimeouts.Default.TotalSeconds}s; last: {(last.ValueKind == JsonValueKind.Undefined ? "none" : last.GetRawText()[..Math.Min(last.GetRawText().Length, 2000)])}");
    }
}
