using System.Text;
using System.Text.Json;
using Pipeline.Grpc.Tests.Infrastructure;

namespace Pipeline.Grpc.Tests.Interop;

/// <summary>A real gRPC client (python grpcio or grpc-js, as a child process) calls our server.</summary>
public abstract class PeerClientTests(OurServersFixture servers, InteropPeer peer) : IClassFixture<OurServersFixture>
{
    public const string NonAsciiMessage = "Ünïcødé ☕ — 100% done, 5 €";

    private const int Large = 8 * 1024 * 1024 + 123;

    private async Task<JsonElement> RunAsync(GrpcTestServer server, string testCase, params string[] args)
    {
        var result = await PeerProcess.RunClientAsync(peer, server.Target, testCase, args);
        TestContext.Current.TestOutputHelper?.WriteLine($"{peer} {testCase}: {result}");
        return result;
    }

    [Fact]
    public async Task EmptyUnary_PeerClient_GetsEmptyResponse()
    {
        var result = await RunAsync(servers.Raised, "empty_unary").DefaultTimeout();

        Assert.Equal("OK", result.GetProperty("code").GetString());
        Assert.Equal(0, result.GetProperty("response_length").GetInt32());
    }

    [Fact]
    public async Task LargeUnary_RaisedLimits_RoundTrips8MB()
    {
        var result = await RunAsync(servers.Raised, "large_unary", Large.ToString()).DefaultTimeout();

        Assert.Equal("OK", result.GetProperty("code").GetString());
        Assert.Equal(Large, result.GetProperty("payload_length").GetInt32());
    }

    [Fact]
    public async Task GzipUnary_PeerCompressesRequest_ServerDecompresses()
    {
        var id = Guid.NewGuid().ToString("n");

        var result = await RunAsync(servers.Raised, "gzip_unary", id).DefaultTimeout();

        Assert.Equal("OK", result.GetProperty("code").GetString());
        Assert.True(result.GetProperty("echoed").GetBoolean());
        Assert.Equal("gzip", await servers.Raised.Recorder.OutcomeAsync(id + ":encoding").DefaultTimeout());
    }

    [Fact]
    public async Task LargeUnary_ServerDefaultLimit_ResourceExhausted()
    {
        var result = await RunAsync(servers.Default, "large_request_over_server_limit", Large.ToString()).DefaultTimeout();

        Assert.Equal("RESOURCE_EXHAUSTED", result.GetProperty("code").GetString());
    }

    [Fact]
    public async Task LargeUnary_PeerDefaultReceiveLimit_ResourceExhausted()
    {
        var result = await RunAsync(servers.Raised, "large_response_over_client_limit", Large.ToString()).DefaultTimeout();

        Assert.Equal("RESOURCE_EXHAUSTED", result.GetProperty("code").GetString());
    }

    [Fact]
    public async Task ServerStreaming_MessagesSent100msApart_Arrive100msApart()
    {
        var result = await RunAsync(servers.Raised, "server_streaming", "5", "100").DefaultTimeout();

        Assert.Equal("OK", result.GetProperty("code").GetString());
        var messages = result.GetProperty("messages").EnumerateArray()
            .Select(m => (Index: m.GetProperty("index").GetInt32(), SentAt: m.GetProperty("sent_at").GetInt64(), ReceivedAt: m.GetProperty("received_at").GetInt64()))
            .ToList();
        StreamTiming.AssertArrivedAsSent(messages);
    }

    [Fact]
    public async Task Status_NonAsciiMessageAndRetryInfo_RoundTrip()
    {
        var result = await RunAsync(servers.Raised, "status", "9", Convert.ToHexString(Encoding.UTF8.GetBytes(NonAsciiMessage)), "1500").DefaultTimeout();

        Assert.Equal("FAILED_PRECONDITION", result.GetProperty("code").GetString());
        Assert.Equal(NonAsciiMessage, result.GetProperty("details").GetString());
        var details = result.GetProperty("trailers").EnumerateArray()
            .Where(t => t[0].GetString() == "grpc-status-details-bin").Select(t => t[1].GetString()!).SingleOrDefault();
        if (details is not null)
        {
            // grpcio hands the details trailer to the application; grpc-js keeps it internal.
            var status = Google.Rpc.Status.Parser.ParseFrom(Convert.FromHexString(details));
            Assert.Equal(9, status.Code);
            Assert.Equal(NonAsciiMessage, status.Message);
            Assert.Equal(TimeSpan.FromMilliseconds(1500), status.Details.Single().Unpack<Google.Rpc.RetryInfo>().RetryDelay.ToTimeSpan());
        }
    }

    [Fact]
    public async Task Metadata_TextAndBinary_EchoedInHeadersAndTrailers()
    {
        var result = await RunAsync(servers.Raised, "metadata").DefaultTimeout();

        Assert.Equal("OK", result.GetProperty("code").GetString());
        foreach (var part in new[] { "headers", "trailers" })
        {
            var entries = result.GetProperty(part).EnumerateArray().Select(e => (Key: e[0].GetString(), Value: e[1].GetString())).ToList();
            Assert.Contains(("x-meta-text", "hello world"), entries);
            Assert.Contains(("x-meta-data-bin", "000102fdfeff"), entries);
        }
    }

    [Fact]
    public async Task Deadline_HandlerSlowerThanTimeout_DeadlineExceededAndHandlerCancelled()
    {
        var id = Guid.NewGuid().ToString("n");

        var result = await RunAsync(servers.Raised, "deadline", id).DefaultTimeout();

        Assert.Equal("DEADLINE_EXCEEDED", result.GetProperty("code").GetString());
        Assert.Equal("cancelled", await servers.Raised.Recorder.OutcomeAsync(id).DefaultTimeout());
    }

    [Fact]
    public async Task Cancel_MidStream_SeenByHandler()
    {
        var id = Guid.NewGuid().ToString("n");

        var result = await RunAsync(servers.Raised, "cancel", id).DefaultTimeout();

        Assert.Equal(0, result.GetProperty("first_index").GetInt32());
        Assert.Equal("CANCELLED", result.GetProperty("code").GetString());
        Assert.Equal("cancelled", await servers.Raised.Recorder.OutcomeAsync(id).DefaultTimeout());
    }

    [Fact]
    public async Task UnknownMethodAndService_Unimplemented()
    {
        var result = await RunAsync(servers.Raised, "unimplemented").DefaultTimeout();

        var codes = result.GetProperty("codes");
        Assert.Equal("UNIMPLEMENTED", codes.GetProperty("/interop.v1.Interop/Nope").GetString());
        Assert.Equal("UNIMPLEMENTED", codes.GetProperty("/nope.v1.Nope/Call").GetString());
    }

    [Fact]
    public async Task HealthCheck_ServerAndService_ServingAndUnknownNotFound()
    {
        var result = await RunAsync(servers.Raised, "health").DefaultTimeout();

        Assert.Equal("OK", result.GetProperty("code").GetString());
        Assert.Equal("0801", result.GetProperty("server").GetString());   // HealthCheckResponse { status: SERVING }
        Assert.Equal("0801", result.GetProperty("service").GetString());
        Assert.Equal("NOT_FOUND", result.GetProperty("unknown").GetString());
    }
}

public sealed class PythonClientTests(OurServersFixture servers) : PeerClientTests(servers, InteropPeer.Python);

public sealed class NodeClientTests(OurServersFixture servers) : PeerClientTests(servers, InteropPeer.Node);
