using System.Buffers.Binary;
using System.IO.Hashing;
using Pipeline.Imaging;

namespace ProviderEmulator.Rendering;

/// <summary>
/// Grows an encoded image to a given byte size while keeping it valid (fault <c>oversized-image</c>): a private
/// ancillary PNG chunk with a correct CRC, JPEG COM segments, or an unknown RIFF chunk in WebP.
/// </summary>
internal static class ImagePadding
{
    public static byte[] PadTo(byte[] image, ImageFormat format, long targetBytes)
    {
        var missing = targetBytes - image.Length;
        if (missing <= 0)
        {
            return image;
        }

        var filler = new byte[missing];
        new Random(42).NextBytes(filler);
        return format switch
        {
            ImageFormat.Jpeg => PadJpeg(image, filler),
            ImageFormat.WebP => PadWebP(image, filler),
            _ => PadPng(image, filler),
        };
    }

    /// <summary>
    /// Inserts an <c>emUl</c> chunk (ancillary, private, safe to copy: decoders skip it) just before IEND, which is the
    /// last 12 bytes of a PNG as encoded here.
    /// </summary>
    private static byte[] PadPng(byte[] png, byte[] filler)
    {
        if (png.Length < 8 + 25 + 12 || !png.AsSpan(png.Length - 8, 4).SequenceEqual("IEND"u8))
        {
            throw new InvalidOperationException("the PNG to pad does not end with an IEND chunk");
        }

        var at = png.Length - 12;
        var output = new byte[png.Length + 12 + filler.Length];
        png.AsSpan(0, at).CopyTo(output);
        BinaryPrimitives.WriteInt32BigEndian(output.AsSpan(at), filler.Length);
        "emUl"u8.CopyTo(output.AsSpan(at + 4));
        filler.CopyTo(output, at + 8);
        var crc = Crc32.HashToUInt32(output.AsSpan(at + 4, 4 + filler.Length));
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(at + 8 + filler.Length), crc);
        png.AsSpan(at).CopyTo(output.AsSpan(at + 12 + filler.Length));
        return output;
    }

    private static byte[] PadJpeg(byte[] jpeg, byte[] filler)
    {
        var output = new MemoryStream(jpeg.Length + filler.Length + 1024);
        output.Write(jpeg, 0, 2);
        for (var offset = 0; offset < filler.Length; offset += 65533)
        {
            var length = Math.Min(65533, filler.Length - offset);
            output.Write([0xFF, 0xFE, (byte)((length + 2) >> 8), (byte)(length + 2)]);
            output.Write(filler, offset, length);
        }

        output.Write(jpeg, 2, jpeg.Length - 2);
        return output.ToArray();
    }

    private static byte[] PadWebP(byte[] webp, byte[] filler)
    {
        var padded = filler.Length + (filler.Length & 1);
        var output = new byte[webp.Length + 8 + padded];
        webp.CopyTo(output, 0);
        "PADD"u8.CopyTo(output.AsSpan(webp.Length));
        BinaryPrimitives.WriteInt32LittleEndian(output.AsSpan(webp.Length + 4), filler.Length);
        filler.CopyTo(output, webp.Length + 8);
        BinaryPrimitives.WriteInt32LittleEndian(output.AsSpan(4), output.Length - 8);
        return output;
    }
}
