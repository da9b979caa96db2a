using System.Buffers;
using System.Buffers.Binary;

namespace Gateway.Proxy;

/// <summary>
/// A forwarded gRPC response body that passes on whole length-prefixed messages only (1 byte compressed flag, 4 bytes
/// big-endian length, the message), holding back the start of a message until its last byte has arrived. When the
/// backend goes away mid-message, what the caller has is a run of complete messages, so the status that follows
/// (<see cref="BackendLossTrailers"/>) is read as such instead of as a cut message (INTERNAL).
/// </summary>
internal sealed class GrpcMessageAlignedStream(Stream inner) : Stream
{
    private const int HeaderBytes = 5;

    private readonly ArrayBufferWriter<byte> _held = new();
    private bool _passedOn;

    /// <summary>Bytes of an unfinished message held back.</summary>
    public int HeldBytes => _held.WrittenCount;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_held.WrittenCount == 0)
        {
            // The common case: nothing held, so whole messages go straight through and only a tail is kept.
            var whole = WholeMessagesLength(buffer.Span);
            if (whole > 0)
            {
                _passedOn = true;
                await inner.WriteAsync(buffer[..whole], cancellationToken);
            }
            _held.Write(buffer.Span[whole..]);
            return;
        }
        _held.Write(buffer.Span);
        var complete = WholeMessagesLength(_held.WrittenSpan);
        if (complete == 0)
        {
            return;
        }
        _passedOn = true;
        await inner.WriteAsync(_held.WrittenMemory[..complete], cancellationToken);
        var rest = _held.WrittenSpan[complete..].ToArray();
        _held.ResetWrittenCount();
        _held.Write(rest);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    // Nothing passed on, nothing to flush: flushing would send the headers on their own, and a call answered with a status
    // alone must end in one HEADERS frame (gRPC's trailers-only response), which strict clients require.
    public override Task FlushAsync(CancellationToken cancellationToken) => _passedOn ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

    public override void Flush()
    {
        if (_passedOn)
        {
            inner.Flush();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>How many leading bytes of <paramref name="bytes"/> are whole messages.</summary>
    internal static int WholeMessagesLength(ReadOnlySpan<byte> bytes)
    {
        var end = 0;
        while (bytes.Length - end >= HeaderBytes)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(end + 1, 4));
            if ((ulong)(bytes.Length - end - HeaderBytes) < length)
            {
                break;
            }
            end += HeaderBytes + (int)length;
        }
        return end;
    }
}
