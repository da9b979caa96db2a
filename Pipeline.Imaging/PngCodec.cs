using System.IO.Compression;
using Pipeline.Imaging.Internal;

namespace Pipeline.Imaging;

/// <summary>PNG encoding (8-bit RGB or RGBA) and decoding (non-interlaced, bit depth 8 for every colour type, 1/2/4 for grey and palette).</summary>
public static class PngCodec
{
    /// <summary>
    /// Encodes <paramref name="image"/> as PNG: colour type 2 (RGB) when every pixel is opaque, otherwise 6 (RGBA).
    /// <paramref name="level"/> picks the zlib effort; <see cref="CompressionLevel.Fastest"/> (the default) also uses one
    /// filter for every row, slower levels choose a filter per row.
    /// </summary>
    public static byte[] Encode(RgbaImage image, CompressionLevel level = CompressionLevel.Fastest)
    {
        ArgumentNullException.ThrowIfNull(image);
        return PngEncoder.Encode(image, level, level == CompressionLevel.Fastest ? PngFilterMode.Up : PngFilterMode.Adaptive);
    }

    /// <summary>
    /// Decodes a PNG to RGBA8. Throws <see cref="InvalidImageException"/> for anything malformed (bad signature, CRC mismatch,
    /// truncated data) or unsupported (Adam7 interlacing, 16-bit samples), naming the reason.
    /// </summary>
    public static RgbaImage Decode(ReadOnlySpan<byte> png) => PngDecoder.Decode(png);

    /// <summary>
    /// Returns a copy of <paramref name="png"/> with one more chunk of <paramref name="type"/> (four ASCII letters, e.g. a
    /// private ancillary "emUl") inserted before IEND, with a correct CRC. Decoders skip unknown ancillary chunks.
    /// </summary>
    public static byte[] InsertChunk(ReadOnlySpan<byte> png, string type, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.Length != 4 || !type.All(char.IsAsciiLetter))
        {
            throw new ArgumentException($"PNG chunk type '{type}' must be four ASCII letters", nameof(type));
        }

        if (png.Length < 8 + 25 + 12 || !png[^8..^4].SequenceEqual("IEND"u8))
        {
            throw new InvalidImageException("PNG does not end with an IEND chunk");
        }

        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        var output = new byte[png.Length + 12 + data.Length];
        png[..^12].CopyTo(output);
        var at = png.Length - 12;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(output.AsSpan(at), data.Length);
        typeBytes.CopyTo(output, at + 4);
        data.CopyTo(output.AsSpan(at + 8));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(at + 8 + data.Length), PngCrc.Of(typeBytes, data));
        png[^12..].CopyTo(output.AsSpan(at + 12 + data.Length));
        return output;
    }
}
