using System.Diagnostics;
using Google.Protobuf;
using Grpc.Health.V1;
using Pipeline.Grpc.Health;
using Pipeline.Grpc.Tests.Infrastructure;
using Pipeline.Grpc.Tests.Interop.V1;

namespace Pipeline.Grpc.Tests.Interop;

/// <summary>Our client calls a real gRPC server (python grpcio or grpc-js, as a child process).</summary>
public abstract class PeerServerTests(PeerServerFixture peer)
{
    private const int Large = 8 * 1024 * 1024 + 123;

    private GrpcChannel Channel(int? maxReceive = null) => GrpcChannel.ForAddress(peer.Address, new GrpcChannelOptions
    {
        MaxReceiveMessageSize = maxReceive ?? 4 * 1024 * 1024,
    });

    [Fact]
    public async Task EmptyUnary_PeerServer_EmptyResponse()
    {
        using var channel = Channel();

        var response = await channel.UnaryAsync(InteropGrpc.Echo, new EchoRequest(), CallOptions.WithTimeout(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).DefaultTimeout();

        Assert.Equal(0, response.CalculateSize());
    }

    [Fact]
    public async Task LargeUnary_RaisedLimit_RoundTrips8MB()
    {
        using var channel = Channel(32 * 1024 * 1024);
        var payload = ByteString.CopyFrom(Enumerable.Range(0, Large).Select(i => (byte)i).ToArray());

        var response = await channel.UnaryAsync(InteropGrpc.Echo, new EchoRequest { Payload = payload }, CallOptions.WithTimeout(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)).DefaultTimeout();

        Assert.Equal(payload, response.Payload);
    }

    [Fact]
    public async Task LargeUnary_DefaultReceiveLimit_ResourceExhausted()
    {
        using var channel = Channel();

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync(InteropGrpc.Echo, new EchoRequest { ResponseSize = Large }, CallOptions.WithTimeout(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken))).DefaultTimeout();

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task ServerStreaming_MessagesSent100msApart_Arrive100msApart()
    {
        using var channel = Channel();
        using var call = channel.ServerStreaming(InteropGrpc.Stream, new StreamRequest { Count = 5, IntervalMs = 100, PayloadSize = 16 },
            CallOptions.WithTimeout(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        var messages = new List<(int, long, long)>();
        await foreach (var message in call.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            messages.Add((message.Index, message.SentAtUnixMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        }

        StreamTiming.AssertArrivedAsSent(messages);
        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
    }

    [Fact]
    public async Task Status_NonAsciiMessageAndRetryInfo_RoundTrip()
    {
        using var channel = Channel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(InteropGrpc.Fail,
            new FailRequest { Code = (int)StatusCode.FailedPrecondition, Message = PeerClientTests.NonAsciiMessage, RetryDelayMs = 1500 },
            CallOptions.WithTimeout(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken))).DefaultTimeout();

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal(PeerClientTests.NonAsciiMessage, ex.Status.Detail);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), ex.Status.GetDetail<Google.Rpc.RetryInfo>()?.RetryDelay.ToTimeSpan());
    }

    [Fact]
    public async Task Metadata_TextAndBinary_EchoedInHeadersAndTrailers()
    {
        using var channel = Channel();
        byte[] binary = [0, 1, 2, 253, 254, 255];
        var headers = new Metadata().Add("x-meta-text", "hello world").Add("x-meta-data-bin", binary);

        using var call = channel.StartUnary(InteropGrpc.Echo, new EchoRequest { Payload = ByteString.CopyFromUtf8("ping") },
            new CallOptions { Headers = headers, Deadline = DateTime.UtcNow.AddSeconds(10), CancellationToken = TestContext.Current.CancellationToken });
        var response = await call.ResponseAsync.DefaultTimeout();
        var responseHeaders = await call.ResponseHeadersAsync.DefaultTimeout();

        Assert.Equal("ping", response.Payload.ToStringUtf8());
        foreach (var received in new[] { responseHeaders, call.GetTrailers() })
        {
            Assert.Equal("hello world", received.GetValue("x-meta-text"));
            Assert.Equal(binary, received.GetValueBytes("x-meta-data-bin"));
        }
    }

    [Fact]
    public async Task Deadline_ServerSlowerThanTimeout_DeadlineExceededAndServerCancelled()
    {
        using var channel = Channel();
        var id = Guid.NewGuid().ToString("n");
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync(InteropGrpc.Echo, new EchoRequest { DelayMs = 5000, Id = id }, CallOptions.WithTimeout(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken))).DefaultTimeout();

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"The call took {stopwatch.Elapsed}; the deadline was 300 ms.");
        await AssertPeerSawCancellationAsync(channel, id);
    }

    [Fact]
    public async Task Cancel_MidStream_SeenByServer()
    {
        using var channel = Channel();
        var id = Guid.NewGuid().ToString("n");
        using var cts = new CancellationTokenSource();
        using var call = channel.ServerStreaming(InteropGrpc.WaitForCancel, new WaitRequest { Id = id },
            new CallOptions { CancellationToken = cts.Token, Deadline = DateTime.UtcNow.AddSeconds(30) });
        await using var messages = call.ReadAllAsync(TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);

        Assert.True(await messages.MoveNextAsync().DefaultTimeout());
        Assert.Equal(0, messages.Current.Index);
        await cts.CancelAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await messages.MoveNextAsync()).DefaultTimeout();

        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        await AssertPeerSawCancellationAsync(channel, id);
    }

    [Fact]
    public async Task UnknownMethod_Unimplemented()
    {
        using var channel = Channel();

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync(InteropGrpc.Unbound, new EchoRequest(), CallOptions.WithTimeout(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken))).DefaultTimeout();

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task UnknownService_Unimplemented()
    {
        using var channel = Channel();

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync(InteropGrpc.UnservedCall, new EchoRequest(), CallOptions.WithTimeout(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken))).DefaultTimeout();

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task HealthCheck_ServerAndUnknownService_ServingAndNotFound()
    {
        using var channel = Channel();
        var options = CallOptions.WithTimeout(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        var serving = await channel.UnaryAsync(GrpcHealthService.CheckMethod, new HealthCheckRequest(), options).DefaultTimeout();
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync(GrpcHealthService.CheckMethod, new HealthCheckRequest { Service = "nope.v1.Nope" }, options)).DefaultTimeout();

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, serving.Status);
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    /// <summary>The peer records cancellations it observed; poll briefly, as it learns of the reset asynchronously.</summary>
    private static async Task AssertPeerSawCancellationAsync(GrpcChannel channel, string id)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var report = await channel.UnaryAsync(InteropGrpc.GetCancelled, new WaitRequest { Id = id }, CallOptions.WithTimeout(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).DefaultTimeout();
            if (report.Cancelled)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < until, $"The peer server never saw call {id} cancelled.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}

public sealed class PythonServerTests(PythonServerFixture peer) : PeerServerTests(peer), IClassFixture<PythonServerFixture>;

public sealed class NodeServerTests(NodeServerFixture peer) : PeerServerTests(peer), IClassFixture<NodeServerFixture>;
