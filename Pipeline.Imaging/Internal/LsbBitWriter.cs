namespace Pipeline.Imaging.Internal;

/// <summary>LSB-first bit writer, as VP8L (and DEFLATE) pack bits.</summary>
internal sealed class LsbBitWriter(int capacity)
{
    private readonly MemoryStream _output = new(capacity);
    private ulong _buffer;
    private int _count;

    public void Write(uint bits, int length)
    {
        _buffer |= (ulong)(bits & ((1u << length) - 1)) << _count;
        _count += length;
        while (_count >= 8)
        {
            _output.WriteByte((byte)_buffer);
            _buffer >>= 8;
            _count -= 8;
        }
    }

    /// <summary>Writes a prefix code MSB-first, i.e. bit-reversed into the LSB-first stream.</summary>
    public void WriteCode(int code, int length)
    {
        var reversed = 0u;
        for (var i = 0; i < length; i++)
        {
            reversed = (reversed << 1) | (uint)((code >> i) & 1);
        }

        Write(reversed, length);
    }

    public byte[] ToArray()
    {
        if (_count > 0)
        {
            _output.WriteByte((byte)_buffer);
            _buffer = 0;
            _count = 0;
        }

        return _output.ToArray();
    }
}
