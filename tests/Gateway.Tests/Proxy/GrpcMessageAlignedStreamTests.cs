using System.Buffers.Binary;
using Gateway.Proxy;

namespace Gateway.Tests.Proxy;

/// <summary>The forwarded gRPC body passes on whole messages only, however the backend's bytes are cut.</summary>
public sealed class GrpcMessageAlignedStreamTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task WriteAsync_MessagesInPiecesOfAnySize_EachPassesOnWholeOnceItsLastByteArrives(int piece)
    {
        byte[][] messages = [Message(0), Message(9), Message(70_000), Message(1)];
        var wire = messages.SelectMany(m => m).ToArray();
        using var forwarded = new MemoryStream();
        var aligned = new GrpcMessageAlignedStream(forwarded);

        for (var offset = 0; offset < wire.Length; offset += piece)
        {
            await aligned.WriteAsync(wire.AsMemory(offset, Math.Min(piece, wire.Length - offset))).AsTask().DefaultTimeout();
            Assert.Equal((int)forwarded.Length, GrpcMessageAlignedStream.WholeMessagesLength(wire.AsSpan(0, (int)forwarded.Length)));
        }

        Assert.Equal(wire, forwarded.ToArray());
        Assert.Equal(0, aligned.HeldBytes);
    }

    [Fact]
    public async Task WriteAsync_BackendCutOffMidMessage_OnlyTheWholeMessagesBeforeItWereForwarded()
    {
        var whole = Message(100);
        var cut = Message(50_000)[..20_000];
        using var forwarded = new MemoryStream();
        var aligned = new GrpcMessageAlignedStream(forwarded);

        await aligned.WriteAsync(whole.Concat(cut).ToArray()).AsTask().DefaultTimeout();

        Assert.Equal(whole, forwarded.ToArray());
        Assert.Equal(cut.Length, aligned.HeldBytes);
    }

    /// <summary>A gRPC length-prefixed message: flag 0, big-endian length, then <paramref name="length"/> bytes.</summary>
    private static byte[] Message(int length)
    {
        var bytes = new byte[5 + length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1, 4), (uint)length);
        Random.Shared.NextBytes(bytes.AsSpan(5));
        return bytes;
    }
}
