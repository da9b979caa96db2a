using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Google.Protobuf;

namespace Pipeline.Grpc.Internal;

/// <summary>Reads length-prefixed messages from a pipe as they arrive.</summary>
internal sealed class MessageReader(PipeReader reader, int? maxSize, string? encoding)
{
    /// <summary>The next message, or null when the stream ended cleanly between messages.</summary>
    public async ValueTask<T?> ReadAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            try
            {
                if (GrpcFrame.TryRead(ref buffer, maxSize, out var compressed, out var payload))
                {
                    var message = GrpcFrame.Parse(parser, payload, compressed, encoding, maxSize);
                    reader.AdvanceTo(buffer.Start);
                    return message;
                }
            }
            catch
            {
                reader.AdvanceTo(buffer.Start);
                throw;
            }
            if (result.IsCompleted || result.IsCanceled)
            {
                reader.AdvanceTo(buffer.End);
                if (buffer.Length == 0)
                {
                    return null;
                }
                throw new RpcException(new Status(StatusCode.Internal, $"Incomplete message: the stream ended {buffer.Length} byte(s) into a message."));
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Every message until the stream ends.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync<T>(MessageParser<T> parser, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (await ReadAsync(parser, cancellationToken) is { } message)
        {
            yield return message;
        }
    }

    /// <summary>Exactly one message (unary): a missing or extra message is INTERNAL.</summary>
    public async ValueTask<T> ReadSingleAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        var message = await ReadAsync(parser, cancellationToken)
            ?? throw new RpcException(new Status(StatusCode.Internal, "Expected one message, but the stream ended without one."));
        if (await ReadAsync(parser, cancellationToken) is not null)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Expected one message, but the stream carried more."));
        }
        return message;
    }
}
