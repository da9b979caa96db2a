using System.Buffers.Binary;
using System.IO.Compression;

namespace Pipeline.Imaging.Internal;

internal static class PngDecoder
{
    private const long MaxPixels = 1L << 28;

    public static RgbaImage Decode(ReadOnlySpan<byte> data)
    {
        if (!data.StartsWith(HeaderReader.PngSignature))
        {
            throw new InvalidImageException(
                data.Length < 8 && HeaderReader.PngSignature.StartsWith(data) ? "PNG header truncated" : "not a PNG image (bad signature)");
        }

        var header = default(Header);
        var seenHeader = false;
        byte[]? palette = null;
        byte[]? transparency = null;
        var idat = new MemoryStream();
        var seenEnd = false;
        var pos = 8;
        while (!seenEnd)
        {
            if (pos + 8 > data.Length)
            {
                throw new InvalidImageException(seenHeader ? "PNG truncated before the IEND chunk" : "PNG header truncated");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
            var type = data.Slice(pos + 4, 4);
            var name = System.Text.Encoding.ASCII.GetString(type);
            if (length > int.MaxValue || pos + 12 + (long)length > data.Length)
            {
                throw new InvalidImageException(seenHeader ? $"PNG chunk '{name}' truncated" : "PNG header truncated");
            }

            var body = data.Slice(pos + 8, (int)length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(data[(pos + 8 + (int)length)..]);
            if (PngCrc.Of(type, body) != crc)
            {
                throw new InvalidImageException($"PNG chunk '{name}' CRC mismatch");
            }

            if (!seenHeader && name != "IHDR")
            {
                throw new InvalidImageException($"PNG first chunk is '{name}', expected 'IHDR'");
            }

            switch (name)
            {
                case "IHDR":
                    header = ReadHeader(body);
                    seenHeader = true;
                    break;
                case "PLTE":
                    if (body.Length % 3 != 0 || body.Length == 0 || body.Length > 768)
                    {
                        throw new InvalidImageException($"PNG PLTE chunk has invalid length {body.Length}");
                    }

                    palette = body.ToArray();
                    break;
                case "tRNS":
                    transparency = body.ToArray();
                    break;
                case "IDAT":
                    idat.Write(body);
                    break;
                case "IEND":
                    seenEnd = true;
                    break;
                default:
                    if ((type[0] & 0x20) == 0)
                    {
                        throw new InvalidImageException($"PNG has unknown critical chunk '{name}'");
                    }

                    break;
            }

            pos += 12 + (int)length;
        }

        if (idat.Length == 0)
        {
            throw new InvalidImageException("PNG has no IDAT chunk");
        }

        if (header.ColorType == 3 && palette is null)
        {
            throw new InvalidImageException("PNG colour type 3 (palette) has no PLTE chunk");
        }

        var raw = Inflate(idat, header);
        return ToRgba(raw, header, palette, transparency);
    }

    private static Header ReadHeader(ReadOnlySpan<byte> body)
    {
        if (body.Length != 13)
        {
            throw new InvalidImageException($"PNG IHDR chunk has length {body.Length}, expected 13");
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(body);
        var height = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        var depth = body[8];
        var colorType = body[9];
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue || (long)width * height > MaxPixels)
        {
            throw new InvalidImageException($"PNG declares an invalid or too large size {width}x{height}");
        }

        var channels = colorType switch
        {
            0 => 1,
            2 => 3,
            3 => 1,
            4 => 2,
            6 => 4,
            _ => throw new InvalidImageException($"PNG colour type {colorType} is invalid (allowed: 0, 2, 3, 4, 6)"),
        };

        if (depth == 16)
        {
            throw new InvalidImageException("PNG bit depth 16 is not supported (only 8-bit, or 1/2/4-bit grey and palette)");
        }

        var depthOk = depth == 8 || ((colorType == 0 || colorType == 3) && depth is 1 or 2 or 4);
        if (!depthOk)
        {
            throw new InvalidImageException($"PNG bit depth {depth} is invalid for colour type {colorType}");
        }

        if (body[10] != 0 || body[11] != 0)
        {
            throw new InvalidImageException($"PNG compression method {body[10]} / filter method {body[11]} is invalid (must be 0)");
        }

        if (body[12] == 1)
        {
            throw new InvalidImageException("PNG interlaced (Adam7) images are not supported");
        }

        if (body[12] != 0)
        {
            throw new InvalidImageException($"PNG interlace method {body[12]} is invalid");
        }

        return new Header((int)width, (int)height, depth, colorType, channels);
    }

    private static byte[] Inflate(MemoryStream idat, Header header)
    {
        var stride = header.Stride;
        var expected = (long)header.Height * (stride + 1);
        var raw = new byte[expected];
        idat.Position = 0;
        int total;
        try
        {
            using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
            total = zlib.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidImageException($"PNG image data is corrupt: {ex.Message}", ex);
        }

        if (total < raw.Length)
        {
            throw new InvalidImageException($"PNG image data truncated: {total} of {raw.Length} bytes");
        }

        return raw;
    }

    private static RgbaImage ToRgba(byte[] raw, Header header, byte[]? palette, byte[]? transparency)
    {
        var stride = header.Stride;
        var bpp = Math.Max(1, header.Channels * header.Depth / 8);
        var image = new RgbaImage(header.Width, header.Height);
        var pixels = image.Pixels;
        ReadOnlySpan<byte> prior = new byte[stride];
        for (var y = 0; y < header.Height; y++)
        {
            var offset = y * (stride + 1);
            var filter = raw[offset];
            var row = raw.AsSpan(offset + 1, stride);
            if (!PngFilters.Reverse(filter, row, prior, bpp))
            {
                throw new InvalidImageException($"PNG row {y} has invalid filter type {filter}");
            }

            ExpandRow(row, header, palette, transparency, pixels.AsSpan(y * header.Width * 4, header.Width * 4));
            prior = row;
        }

        return image;
    }

    private static void ExpandRow(ReadOnlySpan<byte> row, Header header, byte[]? palette, byte[]? trns, Span<byte> dest)
    {
        var width = header.Width;
        switch (header.ColorType)
        {
            case 0:
                {
                    var max = (1 << header.Depth) - 1;
                    var key = trns is { Length: >= 2 } ? (trns[0] << 8) | trns[1] : -1;
                    for (var x = 0; x < width; x++)
                    {
                        var v = Sample(row, x, header.Depth);
                        var g = (byte)(v * 255 / max);
                        dest[x * 4] = g;
                        dest[(x * 4) + 1] = g;
                        dest[(x * 4) + 2] = g;
                        dest[(x * 4) + 3] = v == key ? (byte)0 : (byte)255;
                    }

                    break;
                }

            case 2:
                {
                    var hasKey = trns is { Length: >= 6 };
                    for (var x = 0; x < width; x++)
                    {
                        byte r = row[x * 3], g = row[(x * 3) + 1], b = row[(x * 3) + 2];
                        dest[x * 4] = r;
                        dest[(x * 4) + 1] = g;
                        dest[(x * 4) + 2] = b;
                        var transparent = hasKey && trns![0] == 0 && trns[1] == r && trns[2] == 0 && trns[3] == g && trns[4] == 0 && trns[5] == b;
                        dest[(x * 4) + 3] = transparent ? (byte)0 : (byte)255;
                    }

                    break;
                }

            case 3:
                {
                    var entries = palette!.Length / 3;
                    for (var x = 0; x < width; x++)
                    {
                        var index = Sample(row, x, header.Depth);
                        if (index >= entries)
                        {
                            throw new InvalidImageException($"PNG palette index {index} is outside the {entries}-entry palette");
                        }

                        dest[x * 4] = palette[index * 3];
                        dest[(x * 4) + 1] = palette[(index * 3) + 1];
                        dest[(x * 4) + 2] = palette[(index * 3) + 2];
                        dest[(x * 4) + 3] = trns is not null && index < trns.Length ? trns[index] : (byte)255;
                    }

                    break;
                }

            case 4:
                for (var x = 0; x < width; x++)
                {
                    var g = row[x * 2];
                    dest[x * 4] = g;
                    dest[(x * 4) + 1] = g;
                    dest[(x * 4) + 2] = g;
                    dest[(x * 4) + 3] = row[(x * 2) + 1];
                }

                break;
            default:
                row.CopyTo(dest);
                break;
        }
    }

    private static int Sample(ReadOnlySpan<byte> row, int x, int depth)
    {
        if (depth == 8)
        {
            return row[x];
        }

        var perByte = 8 / depth;
        var shift = 8 - (((x % perByte) + 1) * depth);
        return (row[x / perByte] >> shift) & ((1 << depth) - 1);
    }

    private readonly record struct Header(int Width, int Height, int Depth, int ColorType, int Channels)
    {
        public int Stride => ((Width * Channels * Depth) + 7) / 8;
    }
}
