using System.Diagnostics;
using System.Net;
using Dashboard.Tests.TestSupport;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace Dashboard.Tests.Ui;

/// <summary>The page: served without any external asset, and rendered by a real browser from the API.</summary>
public sealed class DashboardPageTests
{
    [Theory]
    [InlineData("/", "text/html", "<script src=\"app.js\"></script>")]
    [InlineData("/app.js", "text/javascript", "fetch(")]
    [InlineData("/app.css", "text/css", ".span-bar")]
    public async Task Get_PageFiles_ServedWithTypesAndNoExternalReferences(string path, string mediaType, string expected)
    {
        await using var dashboard = await DashboardHost.StartAsync();

        using var response = await dashboard.Api.GetAsync(path, TestContext.Current.CancellationToken).DefaultTimeout();
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, body);
        Assert.DoesNotContain("http://", body);
        Assert.DoesNotContain("https://", body);
    }

    [Fact]
    public async Task Browser_TraceResourcesAndLogs_RenderedFromTheApi()
    {
        await using var dashboard = await DashboardHost.StartAsync();
        using var source = new ActivitySource($"Test.Page.{Guid.NewGuid():N}");
        using var tracer = OtelPeers.Tracer(dashboard, OtlpExportProtocol.Grpc, "gateway", source.Name);
        string traceId, rootId, childId;
        using (var root = source.StartActivity("POST /v1/images", ActivityKind.Server)!)
        {
            using var child = source.StartActivity("router call", ActivityKind.Client)!;
            child.SetTag("rpc.method", "Generate");
            (traceId, rootId, childId) = (root.TraceId.ToHexString(), root.SpanId.ToHexString(), child.SpanId.ToHexString());
        }
        Assert.True(tracer.ForceFlush(30_000), "flush");
        await dashboard.WaitForTraceAsync(traceId, spanCount: 2);
        using (var push = await dashboard.Api.PostAsJsonAsync("/api/resources",
            new[] { new { name = "gateway", type = "project", state = "Running", health = "Healthy", pid = 4242, restarts = 0 } },
            TestContext.Current.CancellationToken).DefaultTimeout())
        {
            push.EnsureSuccessStatusCode();
        }
        using (var push = await dashboard.Api.PostAsJsonAsync("/api/console",
            new[] { new { resource = "gateway", text = "\u001b[32minfo\u001b[39m: <b>listening</b>" } }, TestContext.Current.CancellationToken).DefaultTimeout())
        {
            push.EnsureSuccessStatusCode();
        }

        var home = await HeadlessBrowser.DumpDomAsync(new Uri(dashboard.Http, "/#/"));
        var waterfall = await HeadlessBrowser.DumpDomAsync(new Uri(dashboard.Http, $"/#/trace/{traceId}"));
        var logs = await HeadlessBrowser.DumpDomAsync(new Uri(dashboard.Http, "/#/logs/gateway"));

        Assert.Contains("data-resource=\"gateway\"", home);
        Assert.Contains(">Running<", home);
        Assert.Contains(">4242<", home);
        Assert.Contains($"data-trace-id=\"{traceId}\"", home);
        Assert.Contains($"data-span-id=\"{rootId}\"", waterfall);
        Assert.Contains($"data-span-id=\"{childId}\"", waterfall);
        Assert.Contains("id=\"span-details\"", waterfall);
        Assert.Contains("POST /v1/images", waterfall);
        // Console text is shown as text: no ANSI codes, markup escaped.
        Assert.Contains("info: &lt;b&gt;listening&lt;/b&gt;", logs);
        Assert.DoesNotContain("<b>listening</b>", logs);
    }
}
