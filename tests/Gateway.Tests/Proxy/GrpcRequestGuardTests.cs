using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using Gateway.Tests.TestSupport;
using Google.Protobuf;
using Pipeline.Contracts.ImageGen.V1;

namespace Gateway.Tests.Proxy;

/// <summary>
/// Raw h2c calls to the gateway's gRPC port: malformed frames, unparsable messages and unknown methods are answered as
/// a gRPC server would (INVALID_ARGUMENT, RESOURCE_EXHAUSTED, UNIMPLEMENTED) and never reach the router; sound ones,
/// compressed ones included, reach it byte for byte.
/// </summary>
public sealed class GrpcRequestGuardTests : IAsyncLifetime
{
    private const string Generate = "/imagegen.v1.ImageGeneration/Generate";
    private const string ListConfigs = "/imagegen.v1.ImageGeneration/ListConfigs";

    private GatewayEnvironment _env = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _env = await GatewayEnvironment.StartAsync();
        _client = new HttpClient { BaseAddress = _env.Gateway.GrpcAddress, Timeout = TestTimeouts.Default };
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _env.DisposeAsync();
    }

    [Fact]
    public async Task Generate_ProtobufDoesNotParse_InvalidArgumentNamingTheMessageType()
    {
        // Field 1 (prompt) says 16 bytes follow; one does.
        var reply = await CallAsync(Generate, Frame(0, [0x0A, 0x10, (byte)'a']));

        Assert.Equal(3, reply.Status);
        Assert.StartsWith("The request is not a valid imagegen.v1.GenerateRequest: ", reply.Message);
        Assert.Equal(0, _env.Router.Calls.Count);
    }

    public static TheoryData<string, byte[], string?, string> MalformedFrames => new()
    {
        { "no message", [], null, "has no message" },
        { "header cut short", [0, 0, 0], null, "inside its message header" },
        { "shorter than its prefix", [0, 0, 0, 0, 9, 0x0A, 0x01, (byte)'a'], null, "the length prefix says 9 bytes, 3 arrived" },
        { "two messages", [.. Frame(0, Valid()), .. Frame(0, Valid())], null, "data after its message" },
        { "compressed, no encoding", Frame(1, Valid()), null, "names no grpc-encoding" },
        { "compressed, identity", Frame(1, Valid()), "identity", "names no grpc-encoding" },
        { "undefined flag", Frame(0x80, Valid()), "gzip", "compression flag is 128" },
    };

    [Theory]
    [MemberData(nameof(MalformedFrames))]
    public async Task Generate_MalformedFrame_InvalidArgument(string _, byte[] body, string? encoding, string expected)
    {
        var reply = await CallAsync(Generate, body, encoding);

        Assert.Equal((HttpStatusCode.OK, 3), (reply.Http, reply.Status));
        Assert.Contains(expected, reply.Message);
        Assert.Equal(0, _env.Router.Calls.Count);
    }

    [Fact]
    public async Task Generate_LengthPrefixOverTheLimit_ResourceExhausted()
    {
        byte[] body = [0, 0x7F, 0xFF, 0xFF, 0xFF, 0x0A];

        var reply = await CallAsync(Generate, body);

        Assert.Equal(8, reply.Status);
        Assert.Contains("Gateway:Limits:MaxRequestBodyBytes", reply.Message);
        Assert.Equal(0, _env.Router.Calls.Count);
    }

    [Theory]
    [InlineData("/imagegen.v1.ImageGeneration/Generate/extra")]
    [InlineData("/imagegen.v1.ImageGeneration/")]
    [InlineData("/imagegen.v1.ImageGeneration/generate")]
    [InlineData("/nope.v1.Nope/Call")]
    public async Task UnknownMethod_UnimplementedNamingIt(string path)
    {
        var reply = await CallAsync(path, Frame(0, Valid()));

        Assert.Equal((HttpStatusCode.OK, "application/grpc", 12), (reply.Http, reply.ContentType, reply.Status));
        Assert.Equal($"The gateway has no gRPC method '{path}'; imagegen.v1.ImageGeneration offers Generate, ListConfigs, GetRun, ListRuns, Regenerate.", reply.Message);
        Assert.Equal(0, _env.Router.Calls.Count);
    }

    [Fact]
    public async Task ListConfigs_ValidWithUnknownField_ReachesTheRouterByteForByte()
    {
        // An unknown field (99, varint 7) parses and must survive the gateway.
        byte[] message = [.. Valid(), 0x98, 0x06, 0x07];

        var reply = await CallAsync(ListConfigs, Frame(0, message));

        Assert.Equal(0, reply.Status);
        var call = Assert.Single(_env.Router.Calls.All);
        Assert.Equal(message, call.Request.ToByteArray());
    }

    [Fact]
    public async Task ListConfigs_GzipCompressed_ForwardedAndDecodedByTheRouter()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Valid());
        }

        var reply = await CallAsync(ListConfigs, Frame(1, compressed.ToArray()), "gzip");

        Assert.Equal(0, reply.Status);
        var call = Assert.Single(_env.Router.Calls.All);
        Assert.Equal("de", Assert.IsType<ListConfigsRequest>(call.Request).Language);
    }

    private static byte[] Valid() => new ListConfigsRequest { Language = "de" }.ToByteArray();

    private static byte[] Frame(byte flag, byte[] message)
    {
        var frame = new byte[5 + message.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    private async Task<Reply> CallAsync(string path, byte[] body, string? encoding = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("authorization", $"Bearer {GatewayEnvironment.ApiKey}");
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }
        request.Content.Headers.TryAddWithoutValidation("content-type", "application/grpc");

        using var response = await _client.SendAsync(request).DefaultTimeout();
        await response.Content.ReadAsByteArrayAsync().DefaultTimeout();
        string? Header(string name) =>
            response.Headers.TryGetValues(name, out var values) || response.TrailingHeaders.TryGetValues(name, out values) ? values.Single() : null;
        var status = Header("grpc-status");
        return new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, status is null ? null : int.Parse(status, System.Globalization.CultureInfo.InvariantCulture),
            Header("grpc-message") is { } message ? Uri.UnescapeDataString(message) : null);
    }

    private sealed record Reply(HttpStatusCode Http, string? ContentType, int? Status, string? Message);
}
