using System.IO.Compression;
using System.IO.Pipelines;
using Google.Protobuf;
using Pipeline.Grpc.Internal;
using Pipeline.Grpc.Tests.Infrastructure;
using Pipeline.Grpc.Tests.Interop.V1;

namespace Pipeline.Grpc.Tests.Internal;

public sealed class MessageReaderTests
{
    private static readonly MessageParser<EchoRequest> s_parser = EchoRequest.Parser;

    private static byte[] Frame(string payload) => RawGrpcClient.Frame(new EchoRequest { Payload = ByteString.CopyFromUtf8(payload) });

    [Fact]
    public async Task ReadAsync_MessagesSplitOneByteAtATime_ReassemblesEach()
    {
        var pipe = new Pipe();
        var reader = new MessageReader(pipe.Reader, 1024, null);
        var bytes = Frame("first").Concat(Frame("")).Concat(Frame("third")).ToArray();

        var writing = Task.Run(async () =>
        {
            foreach (var b in bytes)
            {
                await pipe.Writer.WriteAsync(new[] { b }, TestContext.Current.CancellationToken);
            }
            await pipe.Writer.CompleteAsync();
        }, TestContext.Current.CancellationToken);
        var messages = await reader.ReadAllAsync(s_parser, CancellationToken.None).ToListAsync(TestContext.Current.CancellationToken).AsTask().DefaultTimeout();
        await writing.DefaultTimeout();

        Assert.Equal(["first", "", "third"], messages.Select(m => m.Payload.ToStringUtf8()));
    }

    [Fact]
    public async Task ReadAsync_ZeroLengthMessage_ParsesEmptyMessage()
    {
        var reader = ReaderOver([0, 0, 0, 0, 0]);

        var message = await reader.ReadSingleAsync(s_parser, CancellationToken.None).DefaultTimeout();

        Assert.Equal(new EchoRequest(), message);
    }

    [Fact]
    public async Task ReadAsync_EmptyStream_ReturnsNull()
    {
        var reader = ReaderOver([]);

        Assert.Null(await reader.ReadAsync(s_parser, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task ReadAsync_PrefixOverLimit_ResourceExhaustedBeforePayloadArrives()
    {
        var pipe = new Pipe();
        var reader = new MessageReader(pipe.Reader, 4 * 1024 * 1024, null);
        // Only the prefix is written and the pipe stays open: the reader must fail without waiting for 100 MB.
        await pipe.Writer.WriteAsync(new byte[] { 0, 0x06, 0x40, 0, 0 }, TestContext.Current.CancellationToken).DefaultTimeout();

        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.ReadAsync(s_parser, CancellationToken.None).AsTask()).DefaultTimeout();

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Contains("104857600", ex.Status.Detail);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0, 10, 1, 2, 3 })]
    [InlineData(new byte[] { 0, 0, 0 })]
    public async Task ReadAsync_TruncatedStream_Internal(byte[] bytes)
    {
        var reader = ReaderOver(bytes);

        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.ReadAsync(s_parser, CancellationToken.None).AsTask()).DefaultTimeout();

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task ReadAsync_CompressedFlagWithoutEncoding_Internal()
    {
        var reader = ReaderOver(RawGrpcClient.Frame([1, 2, 3], flag: 1));

        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.ReadAsync(s_parser, CancellationToken.None).AsTask()).DefaultTimeout();

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task ReadAsync_InvalidFlagByte_Internal()
    {
        var reader = ReaderOver(RawGrpcClient.Frame([], flag: 2));

        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.ReadAsync(s_parser, CancellationToken.None).AsTask()).DefaultTimeout();

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task ReadAsync_CompressedMessage_Decompressed(string encoding)
    {
        var message = new EchoRequest { Payload = ByteString.CopyFromUtf8(new string('z', 10_000)) };
        using var compressed = new MemoryStream();
        using (Stream compressor = encoding == "gzip" ? new GZipStream(compressed, CompressionLevel.Fastest) : new ZLibStream(compressed, CompressionLevel.Fastest))
        {
            message.WriteTo(compressor);
        }
        var reader = ReaderOver(RawGrpcClient.Frame(compressed.ToArray(), flag: 1), encoding);

        var read = await reader.ReadSingleAsync(s_parser, CancellationToken.None).DefaultTimeout();

        Assert.Equal(message, read);
    }

    [Fact]
    public async Task ReadAsync_CompressedMessageDecompressingOverLimit_ResourceExhausted()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest))
        {
            new EchoRequest { Payload = ByteString.CopyFrom(new byte[100_000]) }.WriteTo(gzip);
        }
        var reader = new MessageReader(PipeReader.Create(new System.Buffers.ReadOnlySequence<byte>(RawGrpcClient.Frame(compressed.ToArray(), flag: 1))), 10_000, "gzip");

        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.ReadAsync(s_parser, CancellationToken.None).AsTask()).DefaultTimeout();

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task ReadSingleAsync_TwoMessages_Internal()
    {
        var reader = ReaderOver([.. Frame("a"), .. Frame("b")]);

        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.ReadSingleAsync(s_parser, CancellationToken.None).AsTask()).DefaultTimeout();

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task ReadAsync_UnparsableProtobuf_Internal()
    {
        var reader = ReaderOver(RawGrpcClient.Frame([0x0a, 0x05, 1]));

        var ex = await Assert.ThrowsAsync<RpcException>(() => reader.ReadAsync(s_parser, CancellationToken.None).AsTask()).DefaultTimeout();

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    private static MessageReader ReaderOver(byte[] bytes, string? encoding = null) =>
        new(PipeReader.Create(new System.Buffers.ReadOnlySequence<byte>(bytes)), 4 * 1024 * 1024, encoding);
}
