using System.Collections.Concurrent;
using System.Diagnostics;
using Pipeline.Grpc.Tests.Infrastructure;
using Pipeline.Grpc.Tests.Interop.V1;

namespace Pipeline.Grpc.Tests;

public sealed class GrpcDiagnosticsTests
{
    private static readonly ActivitySource s_testSource = new("Pipeline.Grpc.Tests");

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public async Task Call_ListenerAttached_ClientAndServerSpansWithRpcTagsInOneTrace(int code)
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is GrpcDiagnostics.ActivitySourceName or "Pipeline.Grpc.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await GrpcTestServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);

        ActivityTraceId traceId;
        using (var root = s_testSource.StartActivity("test-root"))
        {
            traceId = root!.TraceId;
            var call = code == 0
                ? channel.UnaryAsync(InteropGrpc.Echo, new EchoRequest(), CallOptions.WithTimeout(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken))
                : channel.UnaryAsync(InteropGrpc.Fail, new FailRequest { Code = code, Message = "nope" }, CallOptions.WithTimeout(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
            await Record.ExceptionAsync(() => call).DefaultTimeout();
        }
        // The server span ends just after the response is written; give it a moment.
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!stopped.Any(a => a.TraceId == traceId && a.Kind == ActivityKind.Server) && DateTime.UtcNow < until)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        var spans = stopped.Where(a => a.TraceId == traceId && a.Source.Name == GrpcDiagnostics.ActivitySourceName).ToList();
        var client = Assert.Single(spans, a => a.Kind == ActivityKind.Client);
        var serverSpan = Assert.Single(spans, a => a.Kind == ActivityKind.Server);
        var method = code == 0 ? "Echo" : "Fail";
        foreach (var span in new[] { client, serverSpan })
        {
            Assert.Equal("grpc", span.GetTagItem("rpc.system"));
            Assert.Equal("interop.v1.Interop", span.GetTagItem("rpc.service"));
            Assert.Equal(method, span.GetTagItem("rpc.method"));
            Assert.Equal(code, span.GetTagItem("rpc.grpc.status_code"));
        }
        Assert.Equal(client.SpanId, serverSpan.ParentSpanId);
        Assert.Equal(code == 0 ? ActivityStatusCode.Unset : ActivityStatusCode.Error, client.Status);
        // NOT_FOUND is the caller's problem, not a server failure (OpenTelemetry rpc conventions).
        Assert.Equal(ActivityStatusCode.Unset, serverSpan.Status);
    }

    [Fact]
    public async Task Call_AspNetCoreSpanRecorded_ServerSpanNestsUnderItInTheClientTrace()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is GrpcDiagnostics.ActivitySourceName or "Pipeline.Grpc.Tests" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await GrpcTestServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);

        ActivityTraceId traceId;
        using (var root = s_testSource.StartActivity("test-root"))
        {
            traceId = root!.TraceId;
            await channel.UnaryAsync(InteropGrpc.Echo, new EchoRequest(), CallOptions.WithTimeout(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).DefaultTimeout();
        }
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!stopped.Any(a => a.TraceId == traceId && a.Source.Name == "Microsoft.AspNetCore") && DateTime.UtcNow < until)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        var spans = stopped.Where(a => a.TraceId == traceId).ToList();
        var client = Assert.Single(spans, a => a.Kind == ActivityKind.Client && a.Source.Name == GrpcDiagnostics.ActivitySourceName);
        var hosting = Assert.Single(spans, a => a.Source.Name == "Microsoft.AspNetCore");
        var serverSpan = Assert.Single(spans, a => a.Kind == ActivityKind.Server && a.Source.Name == GrpcDiagnostics.ActivitySourceName);
        Assert.Equal(client.SpanId, hosting.ParentSpanId);
        Assert.Equal(hosting.SpanId, serverSpan.ParentSpanId);
    }
}
