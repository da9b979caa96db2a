using System.Buffers.Binary;

namespace Pipeline.Imaging.Internal;

/// <summary>
/// Minimal VP8L (lossless WebP) encoder: subtract-green, then one predictor mode (ClampAddSubtractFull) for the whole
/// image, then literal-only prefix codes (no LZ77, no colour cache, no meta codes).
/// </summary>
internal static class Vp8LEncoder
{
    private const int PredictorSizeBits = 9;
    private const int PredictorMode = 12;

    private static ReadOnlySpan<byte> CodeLengthOrder => [17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    public static byte[] Encode(RgbaImage image)
    {
        var width = image.Width;
        var height = image.Height;
        var residuals = Residuals(image);

        var writer = new LsbBitWriter((width * height * 2) + 64);
        writer.Write(0x2F, 8);
        writer.Write((uint)(width - 1), 14);
        writer.Write((uint)(height - 1), 14);
        writer.Write(image.IsOpaque ? 0u : 1u, 1);
        writer.Write(0, 3);

        writer.Write(1, 1);
        writer.Write(2, 2); // SUBTRACT_GREEN
        writer.Write(1, 1);
        writer.Write(0, 2); // PREDICTOR
        writer.Write(PredictorSizeBits - 2, 3);
        WritePredictorImage(writer, width, height);
        writer.Write(0, 1); // no more transforms

        writer.Write(0, 1); // no colour cache
        writer.Write(0, 1); // no meta prefix codes
        WriteImageData(writer, residuals);

        var data = writer.ToArray();
        var padded = data.Length + (data.Length & 1);
        var file = new byte[20 + padded];
        "RIFF"u8.CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(4), 12 + padded);
        "WEBPVP8L"u8.CopyTo(file.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(16), data.Length);
        data.CopyTo(file, 20);
        return file;
    }

    /// <summary>ARGB residuals after subtract-green and the predictor, as (a, r, g, b) byte quads.</summary>
    private static byte[] Residuals(RgbaImage image)
    {
        var width = image.Width;
        var src = image.Pixels;
        var argb = new byte[src.Length];
        for (var i = 0; i < src.Length; i += 4)
        {
            var g = src[i + 1];
            argb[i] = src[i + 3];
            argb[i + 1] = (byte)(src[i] - g);
            argb[i + 2] = g;
            argb[i + 3] = (byte)(src[i + 2] - g);
        }

        var output = new byte[argb.Length];
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 4;
                for (var c = 0; c < 4; c++)
                {
                    int prediction;
                    if (x == 0 && y == 0)
                    {
                        prediction = c == 0 ? 0xFF : 0;
                    }
                    else if (y == 0)
                    {
                        prediction = argb[i - 4 + c];
                    }
                    else if (x == 0)
                    {
                        prediction = argb[i - (width * 4) + c];
                    }
                    else
                    {
                        var left = argb[i - 4 + c];
                        var top = argb[i - (width * 4) + c];
                        var topLeft = argb[i - (width * 4) - 4 + c];
                        prediction = Math.Clamp(left + top - topLeft, 0, 255);
                    }

                    output[i + c] = (byte)(argb[i + c] - prediction);
                }
            }
        }

        return output;
    }

    private static void WritePredictorImage(LsbBitWriter writer, int width, int height)
    {
        // Every block uses the same mode: each channel of the sub-image has a single symbol, a zero-bit code.
        writer.Write(0, 1); // no colour cache
        WriteSimpleCode(writer, PredictorMode); // green carries the mode
        WriteSimpleCode(writer, 0);
        WriteSimpleCode(writer, 0);
        WriteSimpleCode(writer, 0xFF);
        WriteSimpleCode(writer, 0);
        _ = width;
        _ = height;
    }

    private static void WriteImageData(LsbBitWriter writer, byte[] argb)
    {
        var green = new int[256 + 24];
        var red = new int[256];
        var blue = new int[256];
        var alpha = new int[256];
        for (var i = 0; i < argb.Length; i += 4)
        {
            alpha[argb[i]]++;
            red[argb[i + 1]]++;
            green[argb[i + 2]]++;
            blue[argb[i + 3]]++;
        }

        var codes = new[] { green, red, blue, alpha }.Select(counts => WriteCode(writer, counts)).ToArray();
        WriteSimpleCode(writer, 0); // distance: never used

        var (gc, gl) = codes[0];
        var (rc, rl) = codes[1];
        var (bc, bl) = codes[2];
        var (ac, al) = codes[3];
        for (var i = 0; i < argb.Length; i += 4)
        {
            writer.WriteCode(gc[argb[i + 2]], gl[argb[i + 2]]);
            writer.WriteCode(rc[argb[i + 1]], rl[argb[i + 1]]);
            writer.WriteCode(bc[argb[i + 3]], bl[argb[i + 3]]);
            writer.WriteCode(ac[argb[i]], al[argb[i]]);
        }
    }

    /// <summary>Writes the prefix code for <paramref name="counts"/>; returns (codes, lengths), lengths 0 for a zero-bit code.</summary>
    private static (int[] Codes, int[] Lengths) WriteCode(LsbBitWriter writer, int[] counts)
    {
        var used = counts.Count(c => c > 0);
        if (used <= 2 && counts.Select((c, s) => (c, s)).All(t => t.c == 0 || t.s < 256))
        {
            var symbols = Enumerable.Range(0, counts.Length).Where(s => counts[s] > 0).ToArray();
            if (symbols.Length == 0)
            {
                symbols = [0];
            }

            writer.Write(1, 1);
            writer.Write((uint)(symbols.Length - 1), 1);
            writer.Write(1, 1);
            writer.Write((uint)symbols[0], 8);
            if (symbols.Length == 2)
            {
                writer.Write((uint)symbols[1], 8);
            }

            var lengths = new int[counts.Length];
            if (symbols.Length == 2)
            {
                lengths[symbols[0]] = 1;
                lengths[symbols[1]] = 1;
            }

            return (HuffmanLengths.Codes(lengths), lengths);
        }

        var symbolLengths = HuffmanLengths.Build(counts, 15);
        WriteNormalCodeLengths(writer, symbolLengths);
        return (HuffmanLengths.Codes(symbolLengths), symbolLengths);
    }

    private static void WriteSimpleCode(LsbBitWriter writer, int symbol)
    {
        writer.Write(1, 1);
        writer.Write(0, 1);
        writer.Write(1, 1);
        writer.Write((uint)symbol, 8);
    }

    private static void WriteNormalCodeLengths(LsbBitWriter writer, int[] symbolLengths)
    {
        var histogram = new int[19];
        foreach (var length in symbolLengths)
        {
            histogram[length]++;
        }

        var lengthLengths = HuffmanLengths.Build(histogram, 7);
        var single = lengthLengths.Count(l => l > 0) == 1;
        var count = 4;
        for (var i = 0; i < CodeLengthOrder.Length; i++)
        {
            if (lengthLengths[CodeLengthOrder[i]] > 0)
            {
                count = Math.Max(count, i + 1);
            }
        }

        writer.Write(0, 1); // normal code
        writer.Write((uint)(count - 4), 4);
        for (var i = 0; i < count; i++)
        {
            writer.Write((uint)lengthLengths[CodeLengthOrder[i]], 3);
        }

        writer.Write(0, 1); // max_symbol = alphabet size
        var lengthCodes = HuffmanLengths.Codes(lengthLengths);
        foreach (var length in symbolLengths)
        {
            if (!single)
            {
                writer.WriteCode(lengthCodes[length], lengthLengths[length]);
            }
        }
    }
}
