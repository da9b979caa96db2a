using System.Buffers.Binary;

namespace Pipeline.Imaging.Internal;

/// <summary>Header parsing behind <see cref="ImageInspector"/>; returns an error message instead of throwing.</summary>
internal static class HeaderReader
{
    internal static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static ImageFormat? DetectFormat(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(PngSignature))
        {
            return ImageFormat.Png;
        }

        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return ImageFormat.Jpeg;
        }

        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return ImageFormat.WebP;
        }

        return null;
    }

    public static string? TryRead(ReadOnlySpan<byte> data, out ImageInfo? info)
    {
        info = null;
        if (data.IsEmpty)
        {
            return "empty input: not a PNG, JPEG or WebP image";
        }

        return DetectFormat(data) switch
        {
            ImageFormat.Png => ReadPng(data, out info),
            ImageFormat.Jpeg => ReadJpeg(data, out info),
            ImageFormat.WebP => ReadWebP(data, out info),
            _ => $"not a PNG, JPEG or WebP image (first bytes {Convert.ToHexString(data[..Math.Min(4, data.Length)]).Chunk2()})",
        };
    }

    private static string? ReadPng(ReadOnlySpan<byte> data, out ImageInfo? info)
    {
        info = null;
        if (data.Length < 8 + 8 + 13)
        {
            return "PNG header truncated";
        }

        var type = data.Slice(12, 4);
        if (!type.SequenceEqual("IHDR"u8))
        {
            return $"PNG first chunk is '{Ascii(type)}', expected 'IHDR'";
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(data[16..]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(data[20..]);
        return Sized(ImageFormat.Png, width, height, out info);
    }

    private static string? ReadJpeg(ReadOnlySpan<byte> data, out ImageInfo? info)
    {
        info = null;
        var pos = 2;
        while (true)
        {
            if (pos >= data.Length)
            {
                return "JPEG truncated before the SOF marker";
            }

            if (data[pos] != 0xFF)
            {
                return $"JPEG marker expected at offset {pos}, found 0x{data[pos]:X2}";
            }

            while (pos < data.Length && data[pos] == 0xFF)
            {
                pos++;
            }

            if (pos >= data.Length)
            {
                return "JPEG truncated before the SOF marker";
            }

            var marker = data[pos++];
            if (marker == 0xD9 || marker == 0xDA)
            {
                return $"JPEG has no SOF marker before {(marker == 0xD9 ? "EOI" : "SOS")}";
            }

            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
            {
                continue;
            }

            if (pos + 2 > data.Length)
            {
                return "JPEG truncated before the SOF marker";
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
            if (length < 2)
            {
                return $"JPEG segment 0xFF{marker:X2} has invalid length {length}";
            }

            var isSof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (isSof)
            {
                if (pos + 7 > data.Length)
                {
                    return "JPEG SOF segment truncated";
                }

                var height = BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 3)..]);
                var width = BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 5)..]);
                return Sized(ImageFormat.Jpeg, width, height, out info);
            }

            pos += length;
        }
    }

    private static string? ReadWebP(ReadOnlySpan<byte> data, out ImageInfo? info)
    {
        info = null;
        if (data.Length < 20)
        {
            return "WebP header truncated";
        }

        var chunk = data.Slice(12, 4);
        var body = data[20..];
        if (chunk.SequenceEqual("VP8 "u8))
        {
            if (body.Length < 10)
            {
                return "WebP VP8 frame header truncated";
            }

            if (body[3] != 0x9D || body[4] != 0x01 || body[5] != 0x2A)
            {
                return "WebP VP8 frame has no start code 9D 01 2A (not a key frame)";
            }

            var width = BinaryPrimitives.ReadUInt16LittleEndian(body[6..]) & 0x3FFFu;
            var height = BinaryPrimitives.ReadUInt16LittleEndian(body[8..]) & 0x3FFFu;
            return Sized(ImageFormat.WebP, width, height, out info);
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            if (body.Length < 5)
            {
                return "WebP VP8L header truncated";
            }

            if (body[0] != 0x2F)
            {
                return $"WebP VP8L signature is 0x{body[0]:X2}, expected 0x2F";
            }

            var bits = BinaryPrimitives.ReadUInt32LittleEndian(body[1..]);
            return Sized(ImageFormat.WebP, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, out info);
        }

        if (chunk.SequenceEqual("VP8X"u8))
        {
            if (body.Length < 10)
            {
                return "WebP VP8X header truncated";
            }

            var width = body[4] | ((uint)body[5] << 8) | ((uint)body[6] << 16);
            var height = body[7] | ((uint)body[8] << 8) | ((uint)body[9] << 16);
            return Sized(ImageFormat.WebP, width + 1, height + 1, out info);
        }

        return $"WebP first chunk is '{Ascii(chunk)}', expected 'VP8 ', 'VP8L' or 'VP8X'";
    }

    private static string? Sized(ImageFormat format, uint width, uint height, out ImageInfo? info)
    {
        info = null;
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
        {
            return $"{format.ToOutputFormat().ToUpperInvariant()} header declares an invalid size {width}x{height}";
        }

        info = new ImageInfo(format, (int)width, (int)height);
        return null;
    }

    private static string Ascii(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = bytes[i] is >= 0x20 and < 0x7F ? (char)bytes[i] : '?';
        }

        return new string(chars);
    }

    private static string Chunk2(this string hex)
    {
        var parts = new string[hex.Length / 2];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = hex.Substring(i * 2, 2);
        }

        return string.Join(' ', parts);
    }
}
