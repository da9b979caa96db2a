using System.Diagnostics;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipeline.Grpc.Tests.Infrastructure;
using Pipeline.Grpc.Tests.Interop;
using Pipeline.Grpc.Tests.Interop.V1;

namespace Pipeline.Grpc.Tests;

/// <summary>Our client against our server (in process); the same cases against real peers are in Interop/.</summary>
public sealed class GrpcChannelTests : IAsyncLifetime
{
    private static CancellationToken TestToken => TestContext.Current.CancellationToken;

    private GrpcTestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await GrpcTestServer.StartAsync(map: app =>
        // A server that is not gRPC-correct: 200 application/grpc and a message, but no grpc-status anywhere.
        app.MapPost(InteropGrpc.UnservedCall.FullName, async (HttpContext context) =>
        {
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(RawGrpcClient.Frame(new EchoResponse()), context.RequestAborted);
        }));

    public async ValueTask DisposeAsync()
    {
        Assert.Empty(_server.Logs.Errors);
        await _server.DisposeAsync();
    }

    private static CallOptions Timeout(int seconds = 10) => CallOptions.WithTimeout(TimeSpan.FromSeconds(seconds), TestToken);

    [Fact]
    public async Task UnaryAsync_EchoPayload_RoundTrips()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address);

        var response = await channel.UnaryAsync(InteropGrpc.Echo, new EchoRequest { Payload = ByteString.CopyFromUtf8("hello") }, Timeout()).DefaultTimeout();

        Assert.Equal("hello", response.Payload.ToStringUtf8());
    }

    [Fact]
    public async Task UnaryAsync_ManyConcurrentCalls_AllSucceedOnOneChannel()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            channel.UnaryAsync(InteropGrpc.Echo, new EchoRequest { Payload = ByteString.CopyFromUtf8($"{i}") }, Timeout()))).DefaultTimeout();

        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"{i}"), responses.Select(r => r.Payload.ToStringUtf8()));
    }

    [Fact]
    public async Task StartUnary_ErrorStatus_RpcExceptionWithStatusAndTrailers()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address);
        using var call = channel.StartUnary(InteropGrpc.Fail, new FailRequest { Code = 10, Message = "conflict ✗", RetryDelayMs = 250 }, Timeout());

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.Aborted, ex.StatusCode);
        Assert.Equal("conflict ✗", ex.Status.Detail);
        Assert.Equal(TimeSpan.FromMilliseconds(250), ex.Status.GetDetail<Google.Rpc.RetryInfo>()?.RetryDelay.ToTimeSpan());
        Assert.Equal(ex.Status, call.GetStatus());
    }

    [Fact]
    public async Task UnaryAsync_DeadlinePasses_DeadlineExceededAndHandlerTokenCancelled()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address);
        var id = Guid.NewGuid().ToString("n");

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(InteropGrpc.Echo, new EchoRequest { DelayMs = 10_000, Id = id },
            CallOptions.WithTimeout(TimeSpan.FromMilliseconds(200), TestToken))).DefaultTimeout();

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Equal("cancelled", await _server.Recorder.OutcomeAsync(id).DefaultTimeout());
    }

    [Fact]
    public async Task Handle_DeadlinePassesOnServer_DeadlineExceededTrailers()
    {
        var id = Guid.NewGuid().ToString("n");

        // Raw client: no local deadline, so the status seen is the one the server wrote.
        var response = await RawGrpcClient.SendAsync(_server.Address, InteropGrpc.Echo.FullName,
            RawGrpcClient.Frame(new EchoRequest { DelayMs = 10_000, Id = id }), headers: [new("grpc-timeout", "200m")]).DefaultTimeout();

        Assert.Equal("4", response.Header("grpc-status") ?? response.Trailer("grpc-status"));
        Assert.Equal("cancelled", await _server.Recorder.OutcomeAsync(id).DefaultTimeout());
    }

    [Fact]
    public async Task UnaryAsync_DeadlineMonthsAway_Succeeds()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address);

        var response = await channel.UnaryAsync(InteropGrpc.Echo, new EchoRequest { Payload = ByteString.CopyFromUtf8("late") },
            new CallOptions { Deadline = DateTime.UtcNow.AddDays(120), CancellationToken = TestToken }).DefaultTimeout();

        Assert.Equal("late", response.Payload.ToStringUtf8());
    }

    [Theory]
    [InlineData("99999999S")]
    [InlineData("99999999H")]
    public async Task Handle_LargestLegalTimeout_NoDeadline(string timeout)
    {
        var response = await RawGrpcClient.SendAsync(_server.Address, InteropGrpc.Echo.FullName, RawGrpcClient.Frame(new EchoRequest()),
            headers: [new("grpc-timeout", timeout)]).DefaultTimeout();

        Assert.Equal("0", response.Trailer("grpc-status"));
    }

    [Fact]
    public async Task ServerStreaming_ClientCancelsMidStream_HandlerObservesIt()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address);
        var id = Guid.NewGuid().ToString("n");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestToken);
        using var call = channel.ServerStreaming(InteropGrpc.WaitForCancel, new WaitRequest { Id = id }, new CallOptions { CancellationToken = cts.Token });
        await using var messages = call.ReadAllAsync(TestToken).GetAsyncEnumerator(TestToken);

        Assert.True(await messages.MoveNextAsync().DefaultTimeout());
        await cts.CancelAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await messages.MoveNextAsync()).DefaultTimeout();

        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        Assert.Equal("cancelled", await _server.Recorder.OutcomeAsync(id).DefaultTimeout());
    }

    [Fact]
    public async Task ServerStreaming_DisposedMidStream_HandlerObservesIt()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address);
        var id = Guid.NewGuid().ToString("n");
        var call = channel.ServerStreaming(InteropGrpc.WaitForCancel, new WaitRequest { Id = id }, Timeout(30));
        await using (var messages = call.ReadAllAsync(TestToken).GetAsyncEnumerator(TestToken))
        {
            Assert.True(await messages.MoveNextAsync().DefaultTimeout());
        }

        call.Dispose();

        Assert.Equal("cancelled", await _server.Recorder.OutcomeAsync(id).DefaultTimeout());
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().Code);
    }

    [Fact]
    public async Task ServerStreaming_MessagesWrittenApart_EachFlushedAsWritten()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address);
        using var call = channel.ServerStreaming(InteropGrpc.Stream, new StreamRequest { Count = 5, IntervalMs = 100, PayloadSize = 8 }, Timeout());

        var messages = new List<(int, long, long)>();
        await foreach (var message in call.ReadAllAsync(TestToken))
        {
            messages.Add((message.Index, message.SentAtUnixMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        }

        StreamTiming.AssertArrivedAsSent(messages);
        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
    }

    [Fact]
    public async Task ServerStreaming_ZeroMessages_EndsOk()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address);
        using var call = channel.ServerStreaming(InteropGrpc.Stream, new StreamRequest { Count = 0 }, Timeout());

        var messages = await call.ReadAllAsync(TestToken).ToListAsync(TestToken).AsTask().DefaultTimeout();

        Assert.Empty(messages);
        Assert.Equal(StatusCode.OK, call.GetStatus().Code);
    }

    [Fact]
    public async Task UnaryAsync_ResponseOverClientReceiveLimit_ResourceExhausted()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 1000 });

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync(InteropGrpc.Echo, new EchoRequest { ResponseSize = 5000 }, Timeout())).DefaultTimeout();

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task UnaryAsync_RequestOverClientSendLimit_ResourceExhaustedWithoutSending()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address, new GrpcChannelOptions { MaxSendMessageSize = 1000 });

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync(InteropGrpc.Echo, new EchoRequest { Payload = ByteString.CopyFrom(new byte[5000]) }, Timeout())).DefaultTimeout();

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task UnaryAsync_RequestOverServerReceiveLimit_ResourceExhausted()
    {
        await using var server = await GrpcTestServer.StartAsync(o => o.MaxReceiveMessageSize = 1000);
        using var channel = GrpcChannel.ForAddress(server.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync(InteropGrpc.Echo, new EchoRequest { Payload = ByteString.CopyFrom(new byte[5000]) }, Timeout())).DefaultTimeout();

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task UnaryAsync_ResponseOverServerSendLimit_ResourceExhausted()
    {
        await using var server = await GrpcTestServer.StartAsync(o => o.MaxSendMessageSize = 1000);
        using var channel = GrpcChannel.ForAddress(server.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryAsync(InteropGrpc.Echo, new EchoRequest { ResponseSize = 5000 }, Timeout())).DefaultTimeout();

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Empty(server.Logs.Errors);
    }

    [Fact]
    public async Task UnaryAsync_ServerSendsNoStatus_InternalSynthesized()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(InteropGrpc.UnservedCall, new EchoRequest(), Timeout())).DefaultTimeout();

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Equal("No grpc-status found on response.", ex.Status.Detail);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnaryAsync_UnknownMethodOrService_Unimplemented(bool unknownService)
    {
        await using var server = await GrpcTestServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Address);
        var method = unknownService ? InteropGrpc.UnservedCall : InteropGrpc.Unbound;

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(method, new EchoRequest(), Timeout())).DefaultTimeout();

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
        Assert.Equal(unknownService ? "Service is unimplemented." : "Method is unimplemented.", ex.Status.Detail);
    }

    [Fact]
    public async Task UnaryAsync_ServerNotListening_Unavailable()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(InteropGrpc.Echo, new EchoRequest(), Timeout())).DefaultTimeout();

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    [Fact]
    public async Task UnaryAsync_Metadata_SentAndEchoedInHeadersAndTrailers()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address);
        var headers = new Metadata().Add("x-meta-text", "value").Add("x-meta-raw-bin", [0, 255, 7]);
        using var call = channel.StartUnary(InteropGrpc.Echo, new EchoRequest(), new CallOptions { Headers = headers, CancellationToken = TestToken });

        await call.ResponseAsync.DefaultTimeout();
        var responseHeaders = await call.ResponseHeadersAsync.DefaultTimeout();

        foreach (var received in new[] { responseHeaders, call.GetTrailers() })
        {
            Assert.Equal("value", received.GetValue("x-meta-text"));
            Assert.Equal(new byte[] { 0, 255, 7 }, received.GetValueBytes("x-meta-raw-bin"));
        }
    }

    [Fact]
    public async Task UnaryAsync_AlreadyCancelledToken_CancelledQuickly()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address);
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(InteropGrpc.Echo, new EchoRequest(),
            new CallOptions { CancellationToken = new CancellationToken(canceled: true) })).DefaultTimeout();

        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5));
    }
}
