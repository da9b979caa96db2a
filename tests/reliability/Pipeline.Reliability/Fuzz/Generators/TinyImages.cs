using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Pipeline.Reliability.Fuzz.Generators;

/// <summary>Hand-made images: a small valid PNG, and "bombs" whose headers declare huge sizes over a few bytes of data.</summary>
public static class TinyImages
{
    /// <summary>A valid RGBA PNG of <paramref name="side"/>² pixels in one colour.</summary>
    public static byte[] Png(int side, byte red = 200, byte green = 80, byte blue = 40)
    {
        var row = new byte[1 + (side * 4)];
        for (var x = 0; x < side; x++)
        {
            row[1 + (x * 4)] = red;
            row[2 + (x * 4)] = green;
            row[3 + (x * 4)] = blue;
            row[4 + (x * 4)] = 255;
        }
        var raw = new MemoryStream();
        for (var y = 0; y < side; y++)
        {
            raw.Write(row);
        }
        return PngWith((uint)side, (uint)side, Deflate(raw.ToArray()));
    }

    /// <summary>A PNG that declares <paramref name="width"/>×<paramref name="height"/> over a tiny, valid zlib stream of zeros.</summary>
    public static byte[] PngBomb(uint width, uint height) => PngWith(width, height, Deflate(new byte[64 * 1024]));

    /// <summary>A baseline JPEG header (SOI, SOF0 with the given size) and nothing else.</summary>
    public static byte[] JpegBomb(ushort width, ushort height)
    {
        var sof = new byte[] { 0xFF, 0xC0, 0x00, 0x11, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01 };
        return [0xFF, 0xD8, .. sof, 0xFF, 0xD9];
    }

    private static byte[] PngWith(uint width, uint height, byte[] idat)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 6;
        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", idat);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static byte[] Deflate(byte[] data)
    {
        var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(data);
        }
        return output.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        png.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(length, Crc32(typed));
        png.Write(length);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }
}
