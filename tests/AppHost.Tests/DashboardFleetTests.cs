using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using AppHost.Hosting;
using AppHost.Hosting.Testing;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Grpc;

namespace AppHost.Tests;

/// <summary>The AppHost's model with the dashboard: services export to it over OTLP/gRPC and the AppHost pushes states and console lines.</summary>
public sealed class DashboardFleetTests
{
    [Fact]
    public async Task Run_ProgramModelWithDashboard_RouterCallArrivesAsOneTraceWithLogsAndResourceStates()
    {
        var ct = TestContext.Current.CancellationToken;
        var app = DistributedApplicationTestingBuilder.CreateFromAppHost([], o => o.DisableDashboard = false).Build();
        try
        {
            await app.StartAsync(ct).DefaultTimeout();
            await app.WaitForAllHealthyAsync(ct).FleetStartupTimeout();
            Assert.Contains(app.GetConsoleLogs("apphost"), l => l.StartsWith($"dashboard: {app.GetEndpoint("dashboard").ToString().TrimEnd('/')}", StringComparison.Ordinal));
            using var dashboard = app.CreateHttpClient("dashboard");

            // A call the test traces itself: the router's spans must join the trace of the traceparent it sends.
            var traceId = ActivityTraceId.CreateRandom().ToHexString();
            var callerSpanId = ActivitySpanId.CreateRandom().ToHexString();
            using (var channel = GrpcChannel.ForAddress(app.GetEndpoint("router", "grpc")))
            {
                var headers = new Metadata().Add("traceparent", $"00-{traceId}-{callerSpanId}-01");
                var configs = await new ImageGenerationGrpc.ImageGenerationClient(channel)
                    .ListConfigsAsync(new ListConfigsRequest(), CallOptions.WithTimeout(TestTimeouts.Default, ct) with { Headers = headers }).DefaultTimeout();
                Assert.NotEmpty(configs.Configs);
            }

            var trace = await PollAsync(dashboard, $"/api/traces/{traceId}",
                t => t.GetProperty("spans").EnumerateArray().Any(s => s.GetProperty("scope").GetString() == "Pipeline.Grpc"), ct);
            var spans = trace.GetProperty("spans").EnumerateArray().ToList();
            Assert.Equal(["router"], trace.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
            var http = spans.Single(s => s.GetProperty("scope").GetString() == "Microsoft.AspNetCore");
            var grpc = spans.Single(s => s.GetProperty("scope").GetString() == "Pipeline.Grpc");
            Assert.Equal((callerSpanId, "POST /imagegen.v1.ImageGeneration/ListConfigs", "server"),
                (http.GetProperty("parentSpanId").GetString(), http.GetProperty("name").GetString(), http.GetProperty("kind").GetString()));
            Assert.Equal(200, http.GetProperty("attributes").GetProperty("http.response.status_code").GetInt32());
            Assert.Equal((http.GetProperty("spanId").GetString(), "imagegen.v1.ImageGeneration/ListConfigs", "server"),
                (grpc.GetProperty("parentSpanId").GetString(), grpc.GetProperty("name").GetString(), grpc.GetProperty("kind").GetString()));
            Assert.Equal(("grpc", "ListConfigs", 0), (grpc.GetProperty("attributes").GetProperty("rpc.system").GetString(),
                grpc.GetProperty("attributes").GetProperty("rpc.method").GetString(), grpc.GetProperty("attributes").GetProperty("rpc.grpc.status_code").GetInt32()));
            var routerInstance = app.Resources.Single(r => r.Name == "router").InstanceId;
            Assert.All(spans, s => Assert.Equal(routerInstance, s.GetProperty("instanceId").GetString()));
            var routerTraces = await GetAsync(dashboard, "/api/traces?service=router&limit=1000", ct);
            Assert.Contains(routerTraces.EnumerateArray(), t => t.GetProperty("traceId").GetString() == traceId);

            // Resource states come from the AppHost (pids match its processes), instances from the services' telemetry.
            var resources = await PollAsync(dashboard, "/api/resources", r => app.Resources.All(resource =>
                r.EnumerateArray().Any(v => v.GetProperty("name").GetString() == resource.Name && v.GetProperty("state").GetString() == KnownResourceStates.Running)), ct);
            var router = resources.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "router");
            Assert.Equal(app.GetProcessId("router"), router.GetProperty("pid").GetInt32());
            Assert.Equal("Healthy", router.GetProperty("health").GetString());
            Assert.Contains(router.GetProperty("endpoints").EnumerateArray(), e => e.GetProperty("url").GetString() == app.GetEndpoint("router", "grpc").ToString().TrimEnd('/'));
            Assert.Contains(routerInstance, router.GetProperty("instances").EnumerateArray().Select(i => i.GetString()));

            // Logs: the router's console (pushed by the AppHost) and its structured logs (OTLP).
            var logs = await PollAsync(dashboard, "/api/logs/router", l =>
                l.GetProperty("structured").EnumerateArray().Any(r => r.GetProperty("message").GetString()!.StartsWith("Now listening on", StringComparison.Ordinal))
                && l.GetProperty("console").GetArrayLength() > 0, ct);
            Assert.Contains(logs.GetProperty("console").EnumerateArray(), c => c.GetProperty("text").GetString()!.Contains("Now listening on", StringComparison.Ordinal));

            // Health probes (every 2 s for every service meanwhile) never become traces.
            var recent = await GetAsync(dashboard, "/api/traces?limit=1000", ct);
            Assert.DoesNotContain(recent.EnumerateArray(), t => t.GetProperty("name").GetString()!.Contains("/health", StringComparison.Ordinal));
        }
        finally
        {
            await app.DisposeAsync().AsTask().DefaultTimeout();
        }
        Assert.Equal(KnownResourceStates.Exited, app.ResourceNotifications.GetSnapshot("dashboard")!.State);
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path, CancellationToken ct) =>
        await client.GetFromJsonAsync<JsonElement>(path, ct).DefaultTimeout();

    /// <summary>Polls <paramref name="path"/> every 200 ms until <paramref name="done"/> holds (exports are batched every second).</summary>
    private static async Task<JsonElement> PollAsync(HttpClient client, string path, Func<JsonElement, bool> done, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync(path, ct).DefaultTimeout();
            last = await response.Content.ReadAsStringAsync(ct).DefaultTimeout();
            if (response.IsSuccessStatusCode && done(JsonDocument.Parse(last).RootElement.Clone()))
            {
                return JsonDocument.Parse(last).RootElement.Clone();
            }
            await Task.Delay(200, ct);
        }
        throw new TimeoutException($"GET {path} did not match within {TestTimeouts.Default.TotalSeconds}s; last answer: {last}");
    }
}
