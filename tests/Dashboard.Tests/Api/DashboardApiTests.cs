using System.Net;
using Dashboard.Api;
using Dashboard.Telemetry;
using Dashboard.Tests.TestSupport;

namespace Dashboard.Tests.Api;

/// <summary>The internal API the AppHost pushes to, and what the read API returns from it.</summary>
public sealed class DashboardApiTests
{
    [Fact]
    public async Task PostResourcesAndConsole_GetReturnsThemInReportedOrderWithLatestState()
    {
        await using var dashboard = await DashboardHost.StartAsync();

        await PostAsync(dashboard, "/api/resources", new object[]
        {
            new { name = "storage", type = "project", state = "Starting", restarts = 0, endpoints = new[] { new { name = "grpc", url = "http://127.0.0.1:5311" } } },
            new { name = "apphost", type = "apphost", state = "Running", pid = 42, restarts = 0 },
        });
        await PostAsync(dashboard, "/api/resources", new[] { new { name = "storage", type = "project", state = "Running", health = "Healthy", pid = 7, restarts = 1 } });
        await PostAsync(dashboard, "/api/console", new object[]
        {
            new { resource = "storage", timestamp = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), text = "first" },
            new { resource = "storage", text = "second" },
            new { resource = "apphost", text = "storage exited with code 137; restarting in 1s" },
        });

        var resources = await dashboard.GetAsync<ResourceView[]>("/api/resources");
        Assert.Equal(["storage", "apphost"], resources.Select(r => r.Name));
        Assert.Equal(("Running", "Healthy", (int?)7, 1, "apphost"), (resources[0].State, resources[0].Health, resources[0].Pid, resources[0].Restarts, resources[0].Source));
        Assert.Empty(resources[0].Endpoints);
        var logs = await dashboard.GetAsync<LogsView>("/api/logs/storage");
        Assert.Equal(["first", "second"], logs.Console.Select(l => l.Text));
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), logs.Console[0].Timestamp);
        Assert.Empty(logs.Structured);
        Assert.Equal(["second"], (await dashboard.GetAsync<LogsView>("/api/logs/storage?limit=1")).Console.Select(l => l.Text));
        Assert.Single((await dashboard.GetAsync<LogsView>("/api/logs/apphost")).Console);
    }

    [Fact]
    public async Task PostResources_InvalidEntries_400ListingEveryErrorAndNothingStored()
    {
        await using var dashboard = await DashboardHost.StartAsync();

        using var response = await dashboard.Api.PostAsJsonAsync("/api/resources", new object?[]
        {
            new { name = "router", state = "Running" },
            new { name = "", state = "" },
            new { name = "gateway", state = "Running", endpoints = new[] { new { name = "http", url = "not a url" } } },
            null,
        }, TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("[1].name is required", body);
        Assert.Contains("[1].state is required", body);
        Assert.Contains("[2].endpoints", body);
        Assert.Contains("[3].name is required", body);
        Assert.Empty(await dashboard.GetAsync<ResourceView[]>("/api/resources"));
    }

    [Fact]
    public async Task GetTrace_UnknownId_404AndSpanWithRemoteParentIsTheRoot()
    {
        await using var dashboard = await DashboardHost.StartAsync();
        const string traceId = "0af7651916cd43dd8448eb211c80319c";
        dashboard.Services.GetRequiredService<TraceStore>().Add(
        [
            Span(traceId, "0000000000000002", parent: "0000000000000001", start: 2_000_000, end: 9_000_000, service: "router", name: "grpc child"),
            Span(traceId, "0000000000000001", parent: "00000000000000ff", start: 1_000_000, end: 10_000_000, service: "gateway", name: "POST /v1/images"),
        ]);

        using var missing = await dashboard.Api.GetAsync("/api/traces/ffffffffffffffffffffffffffffffff", TestContext.Current.CancellationToken).DefaultTimeout();
        var trace = await dashboard.GetAsync<TraceView>($"/api/traces/{traceId.ToUpperInvariant()}");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(("0000000000000001", "POST /v1/images", "gateway", 9.0), (trace.RootSpanId, trace.Name, trace.Service, trace.DurationMs));
        Assert.Equal([("0000000000000001", 0, 0.0), ("0000000000000002", 1, 1.0)], trace.Spans.Select(s => (s.SpanId, s.Depth, s.OffsetMs)));
    }

    private static async Task PostAsync(DashboardHost dashboard, string path, object body)
    {
        using var response = await dashboard.Api.PostAsJsonAsync(path, body, TestContext.Current.CancellationToken).DefaultTimeout();
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private static SpanData Span(string traceId, string spanId, string parent, ulong start, ulong end, string service, string name) =>
        new(traceId, spanId, parent, service, null, "test", name, "server", start, end, SpanStatus.Unset, null, new Dictionary<string, object?>(), [], []);
}
