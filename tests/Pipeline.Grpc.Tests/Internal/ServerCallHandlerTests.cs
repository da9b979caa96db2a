using System.Net;
using Google.Protobuf;
using Pipeline.Grpc.Tests.Infrastructure;
using Pipeline.Grpc.Tests.Interop.V1;

namespace Pipeline.Grpc.Tests.Internal;

/// <summary>The server side at the HTTP/2 level, driven by hand-made requests.</summary>
public sealed class ServerCallHandlerTests : IAsyncLifetime
{
    private GrpcTestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await GrpcTestServer.StartAsync(o => o.MaxReceiveMessageSize = 1024);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Handle_ImmediateError_TrailersOnly()
    {
        var response = await RawGrpcClient.SendAsync(_server.Address, InteropGrpc.Fail.FullName,
            RawGrpcClient.Frame(new FailRequest { Code = 5, Message = "gone 100%" })).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.Message.StatusCode);
        Assert.Equal("application/grpc", response.Message.Content.Headers.ContentType?.MediaType);
        Assert.Equal("5", response.Header("grpc-status"));
        Assert.Equal("gone 100%25", response.Header("grpc-message"));
        Assert.Empty(response.Frames);
        Assert.Empty(response.Trailers);
    }

    [Fact]
    public async Task Handle_Success_StatusInTrailersAfterMessage()
    {
        var response = await RawGrpcClient.SendAsync(_server.Address, InteropGrpc.Echo.FullName,
            RawGrpcClient.Frame(new EchoRequest { Payload = ByteString.CopyFromUtf8("x") })).DefaultTimeout();

        Assert.Null(response.Header("grpc-status"));
        Assert.Equal("x", EchoResponse.Parser.ParseFrom(Assert.Single(response.Frames)).Payload.ToStringUtf8());
        Assert.Equal("0", response.Trailer("grpc-status"));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/grpc-web")]
    [InlineData("text/plain")]
    public async Task Handle_WrongContentType_415(string contentType)
    {
        var response = await RawGrpcClient.SendAsync(_server.Address, InteropGrpc.Echo.FullName, RawGrpcClient.Frame(new EchoRequest()), contentType).DefaultTimeout();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Message.StatusCode);
        Assert.Equal("13", response.Header("grpc-status"));
    }

    [Theory]
    [InlineData("application/grpc+proto")]
    [InlineData("application/grpc; charset=utf-8")]
    public async Task Handle_GrpcContentTypeVariants_Accepted(string contentType)
    {
        var response = await RawGrpcClient.SendAsync(_server.Address, InteropGrpc.Echo.FullName, RawGrpcClient.Frame(new EchoRequest()), contentType).DefaultTimeout();

        Assert.Equal("0", response.Trailer("grpc-status"));
    }

    [Fact]
    public async Task Handle_Http11_426UpgradeRequired()
    {
        var response = await RawGrpcClient.SendAsync(_server.Http1Address, InteropGrpc.Echo.FullName, RawGrpcClient.Frame(new EchoRequest()),
            version: HttpVersion.Version11).DefaultTimeout();

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.Message.StatusCode);
        Assert.Equal("13", response.Header("grpc-status"));
    }

    [Theory]
    [InlineData("/interop.v1.Interop/Nope", "Method is unimplemented.")]
    [InlineData("/interop.v1.Interop/Unbound", "Method is unimplemented.")]
    [InlineData("/nope.v1.Nope/Call", "Service is unimplemented.")]
    public async Task Handle_UnknownPath_UnimplementedTrailersOnly(string path, string message)
    {
        var response = await RawGrpcClient.SendAsync(_server.Address, path, RawGrpcClient.Frame(new EchoRequest())).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.Message.StatusCode);
        Assert.Equal("12", response.Header("grpc-status"));
        Assert.Equal(message, Uri.UnescapeDataString(response.Header("grpc-message")!));
    }

    [Fact]
    public async Task Handle_PrefixOverReceiveLimit_ResourceExhausted()
    {
        var response = await RawGrpcClient.SendAsync(_server.Address, InteropGrpc.Echo.FullName,
            RawGrpcClient.Frame(new EchoRequest { Payload = ByteString.CopyFrom(new byte[2000]) })).DefaultTimeout();

        Assert.Equal("8", response.Header("grpc-status"));
    }

    [Fact]
    public async Task Handle_TruncatedRequest_Internal()
    {
        var frame = RawGrpcClient.Frame(new EchoRequest { Payload = ByteString.CopyFromUtf8("truncated") });

        var response = await RawGrpcClient.SendAsync(_server.Address, InteropGrpc.Echo.FullName, frame[..^3]).DefaultTimeout();

        Assert.Equal("13", response.Header("grpc-status"));
    }

    [Fact]
    public async Task Handle_NoRequestMessage_Internal()
    {
        var response = await RawGrpcClient.SendAsync(_server.Address, InteropGrpc.Echo.FullName, []).DefaultTimeout();

        Assert.Equal("13", response.Header("grpc-status"));
    }

    [Fact]
    public async Task Handle_CompressedFlagWithoutEncoding_Internal()
    {
        var response = await RawGrpcClient.SendAsync(_server.Address, InteropGrpc.Echo.FullName, RawGrpcClient.Frame([8, 1], flag: 1)).DefaultTimeout();

        Assert.Equal("13", response.Header("grpc-status"));
    }

    [Fact]
    public async Task Handle_GzipRequest_Decompressed()
    {
        var message = new EchoRequest { Payload = ByteString.CopyFromUtf8("squeezed") };
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest))
        {
            message.WriteTo(gzip);
        }

        var response = await RawGrpcClient.SendAsync(_server.Address, InteropGrpc.Echo.FullName, RawGrpcClient.Frame(compressed.ToArray(), flag: 1),
            headers: [new("grpc-encoding", "gzip")]).DefaultTimeout();

        Assert.Equal("0", response.Trailer("grpc-status"));
        Assert.Equal("squeezed", EchoResponse.Parser.ParseFrom(Assert.Single(response.Frames)).Payload.ToStringUtf8());
    }

    [Fact]
    public async Task Handle_UnsupportedEncoding_UnimplementedWithAcceptEncoding()
    {
        var response = await RawGrpcClient.SendAsync(_server.Address, InteropGrpc.Echo.FullName, RawGrpcClient.Frame(new EchoRequest()),
            headers: [new("grpc-encoding", "snappy")]).DefaultTimeout();

        Assert.Equal("12", response.Header("grpc-status"));
        Assert.Contains("gzip", response.Header("grpc-accept-encoding"));
    }

    [Fact]
    public async Task Handle_BinaryMetadata_EchoedUnpaddedAndDecodedFromEitherForm()
    {
        var response = await RawGrpcClient.SendAsync(_server.Address, InteropGrpc.Echo.FullName, RawGrpcClient.Frame(new EchoRequest()),
            headers: [new("x-meta-a-bin", "AAE="), new("x-meta-b-bin", "AAE"), new("x-meta-c-bin", "AAE,AgM=")]).DefaultTimeout();

        Assert.Equal("AAE", response.Header("x-meta-a-bin"));
        Assert.Equal("AAE", response.Header("x-meta-b-bin"));
        Assert.Equal("AAE,AgM", response.Header("x-meta-c-bin"));
        Assert.Equal("AAE,AgM", response.Trailer("x-meta-c-bin"));
    }
}
