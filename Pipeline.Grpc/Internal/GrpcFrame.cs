using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Google.Protobuf;

namespace Pipeline.Grpc.Internal;

/// <summary>
/// The gRPC length-prefixed message: a compressed flag byte, a big-endian uint32 length, then the message.
/// DATA frame boundaries are not message boundaries, so reading works on whatever bytes have arrived.
/// </summary>
internal static class GrpcFrame
{
    public const int HeaderSize = 5;

    /// <summary>
    /// Takes one whole message off the front of <paramref name="buffer"/>. False when more bytes are needed.
    /// Throws RESOURCE_EXHAUSTED as soon as the prefix announces more than <paramref name="maxSize"/>, before buffering it.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int? maxSize, out bool compressed, out ReadOnlySequence<byte> payload)
    {
        compressed = false;
        payload = default;
        if (buffer.Length < HeaderSize)
        {
            return false;
        }
        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        compressed = header[0] switch
        {
            0 => false,
            1 => true,
            _ => throw new RpcException(new Status(StatusCode.Internal, $"Invalid compressed flag {header[0]} in message prefix; expected 0 or 1.")),
        };
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (maxSize is { } max && length > (uint)max)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"Received message larger than max ({length} vs. {max})."));
        }
        if (buffer.Length - HeaderSize < length)
        {
            return false;
        }
        payload = buffer.Slice(HeaderSize, length);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    /// <summary>Parses a payload, decompressing it with the call's <c>grpc-encoding</c> when its flag is set.</summary>
    public static T Parse<T>(MessageParser<T> parser, ReadOnlySequence<byte> payload, bool compressed, string? encoding, int? maxSize)
        where T : IMessage<T>
    {
        if (compressed)
        {
            payload = new ReadOnlySequence<byte>(Decompress(payload, encoding, maxSize));
        }
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Failed to deserialize {typeof(T).Name}: {ex.Message}"), innerException: ex);
        }
    }

    /// <summary>Writes the prefix and the message straight into <paramref name="writer"/>.</summary>
    public static void Write(IBufferWriter<byte> writer, IMessage message, int? maxSize)
    {
        var size = CheckSendSize(message, maxSize);
        var header = writer.GetSpan(HeaderSize);
        header[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header.Slice(1, 4), (uint)size);
        writer.Advance(HeaderSize);
        if (size > 0)
        {
            message.WriteTo(writer);
        }
    }

    /// <summary>The message framed into one array.</summary>
    public static byte[] ToArray(IMessage message, int? maxSize)
    {
        var size = CheckSendSize(message, maxSize);
        var bytes = new byte[HeaderSize + size];
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1, 4), (uint)size);
        message.WriteTo(bytes.AsSpan(HeaderSize));
        return bytes;
    }

    private static int CheckSendSize(IMessage message, int? maxSize)
    {
        var size = message.CalculateSize();
        if (maxSize is { } max && size > max)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Sending message exceeds the maximum configured message size ({size} vs. {max})."));
        }
        return size;
    }

    private static byte[] Decompress(ReadOnlySequence<byte> payload, string? encoding, int? maxSize)
    {
        if (encoding is null or "identity")
        {
            throw new RpcException(new Status(StatusCode.Internal, "Compressed flag set on a message but the call has no grpc-encoding."));
        }
        using var input = new MemoryStream(payload.ToArray());
        using Stream decompressor = encoding switch
        {
            "gzip" => new GZipStream(input, CompressionMode.Decompress),
            "deflate" => new ZLibStream(input, CompressionMode.Decompress),
            _ => throw new RpcException(new Status(StatusCode.Unimplemented, $"Unsupported grpc-encoding '{encoding}'. Supported: {GrpcProtocol.SupportedEncodings}.")),
        };
        using var output = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = decompressor.Read(buffer, 0, buffer.Length)) > 0)
            {
                output.Write(buffer, 0, read);
                if (maxSize is { } max && output.Length > max)
                {
                    throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Decompressed message larger than max ({output.Length}+ vs. {max})."));
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Failed to decompress message with '{encoding}': {ex.Message}"), innerException: ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return output.ToArray();
    }
}
