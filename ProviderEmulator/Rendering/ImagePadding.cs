using System.Buffers.Binary;
using Pipeline.Imaging;

namespace ProviderEmulator.Rendering;

/// <summary>
/// Grows an encoded image to a given byte size while keeping it valid (fault <c>oversized-image</c>): a private
/// ancillary PNG chunk, JPEG COM segments, or an unknown RIFF chunk in WebP.
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

    private static byte[] PadPng(byte[] png, byte[] filler) => PngCodec.InsertChunk(png, "emUl", filler);

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
