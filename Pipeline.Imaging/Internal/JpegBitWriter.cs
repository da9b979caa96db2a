namespace Pipeline.Imaging.Internal;

/// <summary>MSB-first bit writer for entropy-coded JPEG data, with 0xFF byte stuffing.</summary>
internal sealed class JpegBitWriter(Stream output)
{
    private uint _buffer;
    private int _count;

    public void Write(int bits, int length)
    {
        _buffer = (_buffer << length) | ((uint)bits & ((1u << length) - 1));
        _count += length;
        while (_count >= 8)
        {
            var b = (byte)(_buffer >> (_count - 8));
            output.WriteByte(b);
            if (b == 0xFF)
            {
                output.WriteByte(0);
            }

            _count -= 8;
        }
    }

    /// <summary>Pads the last byte with 1 bits.</summary>
    public void Flush()
    {
        if (_count > 0)
        {
            Write(0x7F, 8 - _count);
        }
    }
}
