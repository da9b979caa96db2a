using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Dashboard.Api;
using Dashboard.Telemetry;
using Dashboard.Tests.TestSupport;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Dashboard.Tests.Otlp;

/// <summary>The real OpenTelemetry .NET OTLP exporter, over gRPC and http/protobuf, read back through the JSON API.</summary>
public sealed class OtlpExportTests
{
    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task Export_SpansOfTwoServicesInOneTrace_ApiReturnsTreeServicesAttributesAndEvents(OtlpExportProtocol protocol)
    {
        await using var dashboard = await DashboardHost.StartAsync();
        using var gatewaySource = new ActivitySource($"Test.Gateway.{protocol}.{Guid.NewGuid():N}");
        using var routerSource = new ActivitySource($"Test.Router.{protocol}.{Guid.NewGuid():N}");
        using var gateway = OtelPeers.Tracer(dashboard, protocol, "gateway", gatewaySource.Name);
        using var router = OtelPeers.Tracer(dashboard, protocol, "router", routerSource.Name);

        string traceId, rootId, clientId, serverId;
        using (var root = gatewaySource.StartActivity("POST /v1/images", ActivityKind.Server)!)
        {
            root.SetTag("http.request.method", "POST");
            root.SetTag("http.response.status_code", 502);
            root.SetTag("pipeline.images", new[] { "a", "b" });
            using (var client = gatewaySource.StartActivity("imagegen.v1.ImageGeneration/Generate", ActivityKind.Client)!)
            {
                client.SetTag("rpc.system", "grpc");
                using var server = routerSource.StartActivity("imagegen.v1.ImageGeneration/Generate", ActivityKind.Server, client.Context)!;
                server.SetTag("rpc.grpc.status_code", 14);
                server.SetTag("gen_ai.request.size_bytes", 1234L);
                server.AddException(new InvalidOperationException("provider down"));
                server.SetStatus(ActivityStatusCode.Error, "provider down");
                (clientId, serverId) = (client.SpanId.ToHexString(), server.SpanId.ToHexString());
            }
            (traceId, rootId) = (root.TraceId.ToHexString(), root.SpanId.ToHexString());
        }
        Assert.True(router.ForceFlush(30_000), "router flush");
        Assert.True(gateway.ForceFlush(30_000), "gateway flush");

        var trace = await dashboard.WaitForTraceAsync(traceId, spanCount: 3);

        Assert.Equal((rootId, "POST /v1/images", "gateway"), (trace.RootSpanId, trace.Name, trace.Service));
        Assert.Equal(["gateway", "router"], trace.Services);
        Assert.Equal(SpanStatus.Error, trace.Status);
        Assert.Equal(1, trace.ErrorCount);
        // Parents before children, depth by nesting.
        Assert.Equal([(rootId, (string?)null, 0), (clientId, rootId, 1), (serverId, clientId, 2)],
            trace.Spans.Select(s => (s.SpanId, s.ParentSpanId, s.Depth)));
        var (rootSpan, clientSpan, serverSpan) = (trace.Spans[0], trace.Spans[1], trace.Spans[2]);
        Assert.Equal(("gateway", "server", OtelPeers.InstanceId("gateway")), (rootSpan.Service, rootSpan.Kind, rootSpan.InstanceId));
        Assert.Equal(("gateway", "client"), (clientSpan.Service, clientSpan.Kind));
        Assert.Equal(("router", "server", OtelPeers.InstanceId("router")), (serverSpan.Service, serverSpan.Kind, serverSpan.InstanceId));
        Assert.Equal(gatewaySource.Name, rootSpan.Scope);
        Assert.Equal("POST", Attribute(rootSpan, "http.request.method").GetString());
        Assert.Equal(502, Attribute(rootSpan, "http.response.status_code").GetInt64());
        Assert.Equal(["a", "b"], Attribute(rootSpan, "pipeline.images").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1234, Attribute(serverSpan, "gen_ai.request.size_bytes").GetInt64());
        Assert.Equal(new SpanStatusView(SpanStatus.Error, "provider down"), serverSpan.Status);
        var exception = Assert.Single(serverSpan.Events);
        Assert.Equal("exception", exception.Name);
        Assert.Equal("provider down", ((JsonElement)exception.Attributes["exception.message"]!).GetString());
        Assert.True(rootSpan.DurationMs >= clientSpan.DurationMs && clientSpan.OffsetMs >= 0 && serverSpan.OffsetMs >= clientSpan.OffsetMs);
        Assert.True(trace.DurationMs >= rootSpan.DurationMs);

        var recent = await dashboard.GetAsync<TraceSummaryView[]>("/api/traces?service=router");
        var summary = Assert.Single(recent);
        Assert.Equal((traceId, 3, "POST /v1/images"), (summary.TraceId, summary.SpanCount, summary.Name));
        Assert.Empty(await dashboard.GetAsync<TraceSummaryView[]>("/api/traces?service=storage"));
        var resources = await dashboard.GetAsync<ResourceView[]>("/api/resources");
        Assert.Equal(["gateway", "router"], resources.Select(r => r.Name));
        Assert.All(resources, r => Assert.Equal(("telemetry", OtelPeers.InstanceId(r.Name)), (r.Source, Assert.Single(r.Instances))));
    }

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task Export_LogsInsideSpanAndMetrics_ApiReturnsRecordsWithTraceSeverityAndMetricNames(OtlpExportProtocol protocol)
    {
        await using var dashboard = await DashboardHost.StartAsync();
        using var source = new ActivitySource($"Test.Storage.{protocol}.{Guid.NewGuid():N}");
        using var tracer = OtelPeers.Tracer(dashboard, protocol, "storage", source.Name);
        using var meter = new Meter($"Test.Storage.{protocol}.{Guid.NewGuid():N}");
        using var meters = OtelPeers.Meter(dashboard, protocol, "storage", meter.Name);
        var puts = meter.CreateCounter<long>("storage.images.put", unit: "{image}", description: "Images stored");
        string traceId, spanId;
        using (var loggers = OtelPeers.Logger(dashboard, protocol, "storage"))
        {
            var logger = loggers.CreateLogger("Storage.Service.Blobs");
            using (var activity = source.StartActivity("storage.v1.Storage/PutImage", ActivityKind.Server)!)
            {
                (traceId, spanId) = (activity.TraceId.ToHexString(), activity.SpanId.ToHexString());
                logger.LogWarning("Blob {Sha256} stored twice", "ab12");
                puts.Add(2);
            }
            logger.LogInformation("Outside any span");
        }
        Assert.True(meters.ForceFlush(30_000), "metrics flush");

        var logs = await DashboardHost.PollAsync(() => dashboard.Api.GetFromJsonAsync<LogsView>("/api/logs/storage", TestContext.Current.CancellationToken),
            l => l.Structured.Count >= 2, "two storage log records");
        var inSpan = logs.Structured[0];
        Assert.Equal(("Blob ab12 stored twice", "Warning", "Storage.Service.Blobs"), (inSpan.Message, inSpan.Severity, inSpan.Category));
        Assert.InRange(inSpan.SeverityNumber, 13, 16);
        Assert.Equal((traceId, spanId), (inSpan.TraceId, inSpan.SpanId));
        Assert.Equal("ab12", ((JsonElement)inSpan.Attributes["Sha256"]!).GetString());
        Assert.Equal(OtelPeers.InstanceId("storage"), inSpan.InstanceId);
        var outside = logs.Structured[1];
        Assert.Equal(("Outside any span", "Information", (string?)null), (outside.Message, outside.Severity, outside.TraceId));
        Assert.Empty(logs.Console);

        var metrics = await DashboardHost.PollAsync(() => dashboard.Api.GetFromJsonAsync<MetricData[]>("/api/metrics/storage", TestContext.Current.CancellationToken),
            m => m.Length > 0, "storage metrics");
        Assert.Equal(("storage.images.put", "{image}", "Images stored", "sum"), (metrics[0].Name, metrics[0].Unit, metrics[0].Description, metrics[0].Type));
    }

    [Fact]
    public async Task Export_MoreTracesThanTheLimit_OldestAreEvicted()
    {
        await using var dashboard = await DashboardHost.StartAsync(new Dictionary<string, string?> { ["Dashboard:MaxTraces"] = "3" });
        using var source = new ActivitySource($"Test.Eviction.{Guid.NewGuid():N}");
        using var tracer = OtelPeers.Tracer(dashboard, OtlpExportProtocol.Grpc, "router", source.Name);
        var traceIds = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using (var activity = source.StartActivity($"request {i}", ActivityKind.Server, parentContext: default)!)
            {
                traceIds.Add(activity.TraceId.ToHexString());
            }
            // One export per trace, so the dashboard sees them in order.
            Assert.True(tracer.ForceFlush(30_000), "flush");
            await dashboard.WaitForTraceAsync(traceIds[^1], spanCount: 1);
        }

        var recent = await dashboard.GetAsync<TraceSummaryView[]>("/api/traces?limit=10");
        Assert.Equal(["request 4", "request 3", "request 2"], recent.Select(t => t.Name));
        foreach (var evicted in traceIds.Take(2))
        {
            using var response = await dashboard.Api.GetAsync($"/api/traces/{evicted}", TestContext.Current.CancellationToken).DefaultTimeout();
            Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    private static JsonElement Attribute(SpanView span, string key) => (JsonElement)span.Attributes[key]!;
}
