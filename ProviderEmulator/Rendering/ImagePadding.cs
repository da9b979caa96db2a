using System.Buffers.Binary;
using System.IO.Hashing;
using Pipeline.Imaging;

namespace ProviderEmulator.Rendering;

/// <summary>
/// Adds bytes to an encoded image while keeping it valid, without re-encoding it: a private ancillary PNG chunk with a
/// correct CRC, JPEG COM segments, or an unknown RIFF chunk in WebP. Used to grow an image to a given byte size (fault
/// <c>oversized-image</c>) and to make every final image distinct (<see cref="EmulatorOptions.DistinctImages"/>). The
/// input is never modified: each call returns a new array (a single copy of the image plus the inserted bytes).
/// </summary>
internal static class ImagePadding
{
    /// <summary>Bytes <see cref="Stamp"/> inserts.</summary>
    public const int StampBytes = 16;

    private const int MaxJpegSegmentData = 65533;

    /// <summary>
    /// <paramref name="image"/> grown to at least <paramref name="targetBytes"/> with pseudo-random filler, or
    /// <paramref name="image"/> itself when it is already that large.
    /// </summary>
    public static byte[] PadTo(byte[] image, ImageFormat format, long targetBytes)
    {
        var missing = targetBytes - image.Length;
        if (missing <= 0)
        {
            return image;
        }

        var filler = new byte[missing];
        new Random(42).NextBytes(filler);
        return Insert(image, format, filler);
    }

    /// <summary>
    /// A copy of <paramref name="image"/> carrying <see cref="StampBytes"/> unique bytes (a fresh random GUID), so that
    /// no two stamped images are byte-identical, while decoding to the same pixels.
    /// </summary>
    public static byte[] Stamp(byte[] image, ImageFormat format)
    {
        Span<byte> stamp = stackalloc byte[StampBytes];
        Guid.NewGuid().TryWriteBytes(stamp);
        return Insert(image, format, stamp);
    }

    private static byte[] Insert(byte[] image, ImageFormat format, ReadOnlySpan<byte> data) => format switch
    {
        ImageFormat.Jpeg => InsertJpeg(image, data),
        ImageFormat.WebP => InsertWebP(image, data),
        _ => InsertPng(image, data),
    };

    /// <summary>
    /// Inserts an <c>emUl</c> chunk (ancillary, private, safe to copy: decoders skip it) just before IEND, which is the
    /// last 12 bytes of a PNG as encoded here.
    /// </summary>
    private static byte[] InsertPng(byte[] png, ReadOnlySpan<byte> data)
    {
        if (png.Length < 8 + 25 + 12 || !png.AsSpan(png.Length - 8, 4).SequenceEqual("IEND"u8))
        {
            throw new InvalidOperationException("the PNG to pad does not end with an IEND chunk");
        }

        var at = png.Length - 12;
        var output = new byte[png.Length + 12 + data.Length];
        png.AsSpan(0, at).CopyTo(output);
        BinaryPrimitives.WriteInt32BigEndian(output.AsSpan(at), data.Length);
        "emUl"u8.CopyTo(output.AsSpan(at + 4));
        data.CopyTo(output.AsSpan(at + 8));
        var crc = Crc32.HashToUInt32(output.AsSpan(at + 4, 4 + data.Length));
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(at + 8 + data.Length), crc);
        png.AsSpan(at).CopyTo(output.AsSpan(at + 12 + data.Length));
        return output;
    }

    /// <summary>Inserts COM segments (at most 65,533 data bytes each) right after SOI.</summary>
    private static byte[] InsertJpeg(byte[] jpeg, ReadOnlySpan<byte> data)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new InvalidOperationException("the JPEG to pad does not start with an SOI marker");
        }

        var segments = (data.Length + MaxJpegSegmentData - 1) / MaxJpegSegmentData;
        var output = new byte[jpeg.Length + (4 * segments) + data.Length];
        jpeg.AsSpan(0, 2).CopyTo(output);
        var pos = 2;
        for (var offset = 0; offset < data.Length; offset += MaxJpegSegmentData)
        {
            var length = Math.Min(MaxJpegSegmentData, data.Length - offset);
            output[pos] = 0xFF;
            output[pos + 1] = 0xFE;
            BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(pos + 2), (ushort)(length + 2));
            data.Slice(offset, length).CopyTo(output.AsSpan(pos + 4));
            pos += 4 + length;
        }

        jpeg.AsSpan(2).CopyTo(output.AsSpan(pos));
        return output;
    }

    /// <summary>
    /// Appends a <c>PADD</c> chunk (unknown to decoders, which skip it) at the end of the RIFF chunk, padded to an even
    /// size as RIFF requires, and updates the RIFF size to the new byte count minus the 8-byte RIFF header.
    /// </summary>
    private static byte[] InsertWebP(byte[] webp, ReadOnlySpan<byte> data)
    {
        if (webp.Length < 20 || (webp.Length & 1) != 0 || !webp.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !webp.AsSpan(8, 4).SequenceEqual("WEBP"u8)
            || BinaryPrimitives.ReadUInt32LittleEndian(webp.AsSpan(4)) != webp.Length - 8)
        {
            throw new InvalidOperationException("the WebP to pad is not a single even-sized RIFF WEBP chunk");
        }

        var output = new byte[webp.Length + 8 + data.Length + (data.Length & 1)];
        webp.CopyTo(output, 0);
        "PADD"u8.CopyTo(output.AsSpan(webp.Length));
        BinaryPrimitives.WriteInt32LittleEndian(output.AsSpan(webp.Length + 4), data.Length);
        data.CopyTo(output.AsSpan(webp.Length + 8));
        BinaryPrimitives.WriteInt32LittleEndian(output.AsSpan(4), output.Length - 8);
        return output;
    }
}
