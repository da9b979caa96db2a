using System.Buffers;
using Google.Protobuf;
using Pipeline.Grpc.Internal;
using Pipeline.Grpc.Tests.Interop.V1;

namespace Pipeline.Grpc.Tests.Internal;

public sealed class GrpcFrameTests
{
    [Fact]
    public void Write_Message_PrefixIsFlagZeroAndBigEndianLength()
    {
        var writer = new ArrayBufferWriter<byte>();
        var message = new EchoRequest { Payload = ByteString.CopyFrom(new byte[300]) };

        GrpcFrame.Write(writer, message, maxSize: null);

        var size = message.CalculateSize();
        Assert.Equal(new byte[] { 0, 0, 0, (byte)(size >> 8), (byte)size }, writer.WrittenSpan[..5].ToArray());
        Assert.Equal(message.ToByteArray(), writer.WrittenSpan[5..].ToArray());
    }

    [Fact]
    public void ToArray_EmptyMessage_FivePrefixBytesOnly()
    {
        Assert.Equal(new byte[5], GrpcFrame.ToArray(new EchoRequest(), maxSize: null));
    }

    [Fact]
    public void Write_MessageOverSendLimit_ResourceExhausted()
    {
        var message = new EchoRequest { Payload = ByteString.CopyFrom(new byte[100]) };

        var ex = Assert.Throws<RpcException>(() => GrpcFrame.ToArray(message, maxSize: 50));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public void TryRead_HeaderOnlyPartlyArrived_NeedsMoreBytes()
    {
        var buffer = new ReadOnlySequence<byte>([0, 0, 0]);

        Assert.False(GrpcFrame.TryRead(ref buffer, 100, out _, out _));
        Assert.Equal(3, buffer.Length);
    }
}
