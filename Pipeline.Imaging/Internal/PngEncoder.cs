using System.Buffers.Binary;
using System.IO.Compression;

namespace Pipeline.Imaging.Internal;

internal static class PngEncoder
{
    public static byte[] Encode(RgbaImage image, CompressionLevel level, PngFilterMode filter)
    {
        var opaque = image.IsOpaque;
        var channels = opaque ? 3 : 4;
        var stride = image.Width * channels;

        var output = new MemoryStream((image.Width * image.Height * channels / 4) + 1024);
        output.Write(HeaderReader.PngSignature);

        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], image.Height);
        ihdr[8] = 8;
        ihdr[9] = (byte)(opaque ? 2 : 6);
        WriteChunk(output, "IHDR"u8, ihdr);

        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, level, leaveOpen: true))
        {
            var raw = new byte[stride];
            var prior = new byte[stride];
            var filtered = new byte[stride + 1];
            var candidate = new byte[stride];
            var pixels = image.Pixels;
            for (var y = 0; y < image.Height; y++)
            {
                CopyRow(pixels, y * image.Width * 4, image.Width, opaque, raw);
                var type = ChooseFilter(filter, y, raw, prior, channels, candidate);
                filtered[0] = (byte)type;
                PngFilters.Apply(type, raw, prior, channels, filtered.AsSpan(1));
                zlib.Write(filtered);
                (raw, prior) = (prior, raw);
            }
        }

        WriteChunk(output, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static int ChooseFilter(PngFilterMode mode, int y, byte[] raw, byte[] prior, int bpp, byte[] scratch)
    {
        if (mode != PngFilterMode.Adaptive)
        {
            // Up on the first row is plain None; Sub does better there.
            return mode == PngFilterMode.Up && y == 0 ? 1 : (int)mode;
        }

        var best = 0;
        var bestScore = long.MaxValue;
        for (var type = 0; type <= 4; type++)
        {
            PngFilters.Apply(type, raw, prior, bpp, scratch);
            long score = 0;
            foreach (var b in scratch)
            {
                score += b < 128 ? b : 256 - b;
            }

            if (score < bestScore)
            {
                bestScore = score;
                best = type;
            }
        }

        return best;
    }

    private static void CopyRow(byte[] pixels, int offset, int width, bool opaque, byte[] row)
    {
        if (!opaque)
        {
            Buffer.BlockCopy(pixels, offset, row, 0, width * 4);
            return;
        }

        for (int x = 0, s = offset, d = 0; x < width; x++, s += 4, d += 3)
        {
            row[d] = pixels[s];
            row[d + 1] = pixels[s + 1];
            row[d + 2] = pixels[s + 2];
        }
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, PngCrc.Of(type, data));
        output.Write(word);
    }
}
