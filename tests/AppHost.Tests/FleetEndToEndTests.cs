using System.Diagnostics;
using System.Text.Json;
using AppHost.Tests.Fleet;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using static AppHost.Tests.Fleet.ServerSentEvents;

namespace AppHost.Tests;

/// <summary>
/// The whole fleet from the AppHost's Program.cs (emulator in place of the providers), driven like a user drives it:
/// OpenAI-compatible HTTP through the gateway, traces read back from the Aspire dashboard.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class FleetEndToEndTests(FleetFixture fleet)
{
    [Fact]
    public async Task Gateway_StreamedGeneration_PartialsThenStoredFinalInOneTraceAcrossTheFleet()
    {
        var ct = TestContext.Current.CancellationToken;
        using var gateway = fleet.CreateGatewayClient();
        var traceId = ActivityTraceId.CreateRandom().ToHexString();

        var callerSpanId = ActivitySpanId.CreateRandom().ToHexString();
        using var request = StreamedGeneration(partialImages: 2);
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpanId}-01");
        var events = await ReadEventsAsync(gateway, request, ct).DefaultTimeout();

        Assert.Equal(2, events.Count(e => e.Name == "image_generation.partial_image"));
        var completed = Assert.Single(events, e => e.Name == "image_generation.completed").Data;
        Assert.Equal("image_generation.completed", events[^1].Name);
        var b64 = completed.GetProperty("b64_json").GetString()!;
        var stored = await gateway.GetByteArrayAsync($"/images/{completed.GetProperty("id").GetString()}", ct).DefaultTimeout();
        Assert.Equal(Convert.FromBase64String(b64), stored);
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(fleet.DataDirectory, "storage"), "*", SearchOption.AllDirectories));

        // One trace, whose spans come from every service the request crossed, read from the Aspire dashboard: one tree under
        // the caller's span (every gRPC call's client span is exported, so no span hangs off a parent nobody sent).
        using var telemetry = new DashboardTelemetry(fleet.Dashboard, TestTimeouts.Default);
        static bool OneTree(IReadOnlyList<TelemetrySpan> spans, string root) =>
            spans.All(span => span.ParentSpanId == root || spans.Any(parent => parent.SpanId == span.ParentSpanId));
        var spans = await telemetry.WaitForTraceAsync(traceId, s =>
            new[] { "gateway", "router", "openai", "storage" }.All(service => s.Any(span => span.Service == service))
            && s.Any(IsProviderHttpCall) && s.Any(IsStoragePut) && s.Any(span => span.Service == "openai" && span.Attribute("gen_ai.request.model") is not null)
            && OneTree(s, callerSpanId), ct);
        Assert.Equal("gateway", Assert.Single(spans, s => s.ParentSpanId == callerSpanId).Service);
        Assert.Contains(spans, s => s.Service == "router" && s.Name == "Grpc.Net.Client.GrpcOut");
        var providerCall = spans.Single(s => s.Service == "openai" && s.Attribute("gen_ai.request.model") is not null);
        Assert.Equal("gpt-image-1", providerCall.Attribute("gen_ai.request.model"));
        var emulatorPort = fleet.App.GetEndpoint("emulator", "http").Port;
        Assert.Contains(spans.Where(IsProviderHttpCall), s => s.Attribute("server.port") == emulatorPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain(spans, s => s.Raw.GetRawText().Contains(b64[..200], StringComparison.Ordinal));
        Assert.DoesNotContain(spans, s => s.Raw.GetRawText().Contains(FleetFixture.ApiKey, StringComparison.Ordinal)
            || s.Raw.GetRawText().Contains(AppHost.PipelineResourceExtensions.EmulatorApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task KillOpenAIAdapterMidStream_CallEndsWithError_AdapterRestartedAndNextCallSucceeds()
    {
        var ct = TestContext.Current.CancellationToken;
        using var gateway = fleet.CreateGatewayClient();
        var runningBefore = fleet.App.ResourceNotifications.TryGetCurrentState("openai", out var before) ? before : throw new InvalidOperationException("no openai state");
        var killedPid = 0;

        using var request = StreamedGeneration(partialImages: 3);
        var events = await ReadEventsAsync(gateway, request, ct, onEvent: e =>
        {
            if (e.Name == "image_generation.partial_image" && killedPid == 0)
            {
                killedPid = fleet.ServiceProcessId("openai");
                Process.GetProcessById(killedPid).Kill();
            }
        }).DefaultTimeout();

        Assert.NotEqual(0, killedPid);
        Assert.True(events.All(e => e.Name != "image_generation.completed"),
            $"the stream completed although its adapter was killed: {string.Join(", ", events.Select(e => e.Name))}");
        var error = Assert.Single(events, e => e.Name == "error").Data.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));

        // The AppHost's CrashRestarter starts it again (1 s backoff) and says so in the resource's console log.
        await fleet.App.ResourceNotifications.WaitForResourceAsync("openai",
            e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), ct).DefaultTimeout();
        await fleet.App.ResourceNotifications.WaitForResourceAsync("openai",
            e => e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == HealthStatus.Healthy, ct).DefaultTimeout();
        Assert.NotEqual(killedPid, fleet.ServiceProcessId("openai"));
        await WaitForLogLineAsync(before.ResourceId, "restarting in 1s", ct).DefaultTimeout();

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

    private async Task WaitForLogLineAsync(string resourceId, string text, CancellationToken ct)
    {
        var logs = fleet.App.Services.GetRequiredService<ResourceLoggerService>();
        await foreach (var batch in logs.WatchAsync(resourceId).WithCancellation(ct))
        {
            if (batch.Any(l => l.Content.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }
        }
    }

    private static bool IsProviderHttpCall(TelemetrySpan span) =>
        span.Service == "openai" && span.IsClient && span.Scope == "System.Net.Http";

    private static bool IsStoragePut(TelemetrySpan span) =>
        span.Service == "storage" && (span.Name.Contains("PutImage", StringComparison.Ordinal)
            || span.Attribute("url.path")?.Contains("PutImage", StringComparison.Ordinal) == true);
}
