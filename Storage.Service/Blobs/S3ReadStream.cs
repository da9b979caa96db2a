using Amazon.S3.Model;

namespace Storage.Service.Blobs;

/// <summary>
/// A seekable read of one S3 object: reads continue the open response; a read after a seek elsewhere closes it and
/// opens a ranged GET from the new position. A whole read costs one GET, a range read two (the first is closed unread).
/// </summary>
internal sealed class S3ReadStream : Stream
{
    private readonly S3BlobStore _store;
    private readonly string _key;
    private GetObjectResponse? _response;
    private long _responsePosition;
    private long _position;
    private bool _disposed;

    public S3ReadStream(S3BlobStore store, string key, GetObjectResponse response)
    {
        _store = store;
        _key = key;
        _response = response;
        Length = response.ContentLength;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.Length == 0 || _position >= Length)
        {
            return 0;
        }
        if (_response is null || _responsePosition != _position)
        {
            CloseResponse();
            _response = await _store.GetRangeAsync(_key, _position, Length, cancellationToken);
            _responsePosition = _position;
        }
        var read = await _response.ResponseStream.ReadAsync(buffer[..(int)Math.Min(buffer.Length, Length - _position)], cancellationToken);
        if (read == 0)
        {
            throw new IOException($"S3 object {_key} ended at byte {_position} of {Length}");
        }
        _position += read;
        _responsePosition += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        if (target < 0)
        {
            throw new IOException($"cannot seek to {target}, before the start of S3 object {_key}");
        }
        _position = target;
        return target;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _disposed = true;
            CloseResponse();
        }
        base.Dispose(disposing);
    }

    private void CloseResponse()
    {
        _response?.Dispose();
        _response = null;
    }
}
