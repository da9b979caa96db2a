namespace Pipeline.Imaging.Internal;

/// <summary>Baseline sequential DCT encoder: YCbCr, one scan, interleaved MCUs, standard Huffman tables.</summary>
internal static class JpegEncoder
{
    private static readonly float[] Cosines = BuildCosines();

    public static byte[] Encode(RgbaImage image, int quality, bool subsample)
    {
        var lumaQuant = JpegTables.ScaleQuant(JpegTables.LuminanceQuant, quality);
        var chromaQuant = JpegTables.ScaleQuant(JpegTables.ChrominanceQuant, quality);
        var output = new MemoryStream((image.Width * image.Height / 4) + 1024);
        WriteHeaders(output, image.Width, image.Height, lumaQuant, chromaQuant, subsample);

        var (y, cb, cr) = ToYCbCr(image);
        var writer = new JpegBitWriter(output);
        var dcLuma = JpegTables.BuildCodes(JpegTables.DcLuminanceBits, JpegTables.DcValues);
        var acLuma = JpegTables.BuildCodes(JpegTables.AcLuminanceBits, JpegTables.AcLuminanceValues);
        var dcChroma = JpegTables.BuildCodes(JpegTables.DcChrominanceBits, JpegTables.DcValues);
        var acChroma = JpegTables.BuildCodes(JpegTables.AcChrominanceBits, JpegTables.AcChrominanceValues);
        var lumaTables = new BlockTables(lumaQuant, dcLuma, acLuma);
        var chromaTables = new BlockTables(chromaQuant, dcChroma, acChroma);

        var block = new float[64];
        int predY = 0, predCb = 0, predCr = 0;
        var w = image.Width;
        var h = image.Height;
        var mcu = subsample ? 16 : 8;
        for (var my = 0; my < h; my += mcu)
        {
            for (var mx = 0; mx < w; mx += mcu)
            {
                if (subsample)
                {
                    for (var by = 0; by < 16; by += 8)
                    {
                        for (var bx = 0; bx < 16; bx += 8)
                        {
                            LoadBlock(y, w, h, mx + bx, my + by, block);
                            predY = EncodeBlock(writer, block, predY, lumaTables);
                        }
                    }

                    LoadSubsampled(cb, w, h, mx, my, block);
                    predCb = EncodeBlock(writer, block, predCb, chromaTables);
                    LoadSubsampled(cr, w, h, mx, my, block);
                    predCr = EncodeBlock(writer, block, predCr, chromaTables);
                }
                else
                {
                    LoadBlock(y, w, h, mx, my, block);
                    predY = EncodeBlock(writer, block, predY, lumaTables);
                    LoadBlock(cb, w, h, mx, my, block);
                    predCb = EncodeBlock(writer, block, predCb, chromaTables);
                    LoadBlock(cr, w, h, mx, my, block);
                    predCr = EncodeBlock(writer, block, predCr, chromaTables);
                }
            }
        }

        writer.Flush();
        output.WriteByte(0xFF);
        output.WriteByte(0xD9);
        return output.ToArray();
    }

    private static (float[] Y, float[] Cb, float[] Cr) ToYCbCr(RgbaImage image)
    {
        var count = image.Width * image.Height;
        var y = new float[count];
        var cb = new float[count];
        var cr = new float[count];
        var p = image.Pixels;
        for (var i = 0; i < count; i++)
        {
            // JPEG has no alpha: composite over white.
            var a = p[(i * 4) + 3] / 255f;
            var r = (p[i * 4] * a) + (255 * (1 - a));
            var g = (p[(i * 4) + 1] * a) + (255 * (1 - a));
            var b = (p[(i * 4) + 2] * a) + (255 * (1 - a));
            y[i] = (0.299f * r) + (0.587f * g) + (0.114f * b) - 128f;
            cb[i] = (-0.168736f * r) - (0.331264f * g) + (0.5f * b);
            cr[i] = (0.5f * r) - (0.418688f * g) - (0.081312f * b);
        }

        return (y, cb, cr);
    }

    private static void LoadBlock(float[] plane, int w, int h, int x0, int y0, float[] block)
    {
        for (var j = 0; j < 8; j++)
        {
            var row = Math.Min(y0 + j, h - 1) * w;
            for (var i = 0; i < 8; i++)
            {
                block[(j * 8) + i] = plane[row + Math.Min(x0 + i, w - 1)];
            }
        }
    }

    private static void LoadSubsampled(float[] plane, int w, int h, int x0, int y0, float[] block)
    {
        for (var j = 0; j < 8; j++)
        {
            var r0 = Math.Min(y0 + (j * 2), h - 1) * w;
            var r1 = Math.Min(y0 + (j * 2) + 1, h - 1) * w;
            for (var i = 0; i < 8; i++)
            {
                var c0 = Math.Min(x0 + (i * 2), w - 1);
                var c1 = Math.Min(x0 + (i * 2) + 1, w - 1);
                block[(j * 8) + i] = (plane[r0 + c0] + plane[r0 + c1] + plane[r1 + c0] + plane[r1 + c1]) * 0.25f;
            }
        }
    }

    private static int EncodeBlock(JpegBitWriter writer, float[] block, int previousDc, BlockTables tables)
    {
        Span<float> temp = stackalloc float[64];
        Span<int> quantised = stackalloc int[64];
        var cos = Cosines;

        // Separable 2-D DCT-II: rows, then columns.
        for (var y = 0; y < 8; y++)
        {
            for (var u = 0; u < 8; u++)
            {
                var sum = 0f;
                for (var x = 0; x < 8; x++)
                {
                    sum += block[(y * 8) + x] * cos[(u * 8) + x];
                }

                temp[(y * 8) + u] = sum;
            }
        }

        for (var u = 0; u < 8; u++)
        {
            for (var v = 0; v < 8; v++)
            {
                var sum = 0f;
                for (var y = 0; y < 8; y++)
                {
                    sum += temp[(y * 8) + u] * cos[(v * 8) + y];
                }

                var natural = (v * 8) + u;
                quantised[natural] = (int)MathF.Round(sum / tables.Quant[natural]);
            }
        }

        var zigzag = JpegTables.ZigZag;
        var dc = quantised[0];
        var diff = dc - previousDc;
        var category = Category(diff);
        writer.Write(tables.Dc.Codes[category], tables.Dc.Lengths[category]);
        if (category > 0)
        {
            writer.Write(Magnitude(diff, category), category);
        }

        var run = 0;
        for (var k = 1; k < 64; k++)
        {
            var value = quantised[zigzag[k]];
            if (value == 0)
            {
                run++;
                continue;
            }

            while (run > 15)
            {
                writer.Write(tables.Ac.Codes[0xF0], tables.Ac.Lengths[0xF0]);
                run -= 16;
            }

            var size = Category(value);
            var symbol = (run << 4) | size;
            writer.Write(tables.Ac.Codes[symbol], tables.Ac.Lengths[symbol]);
            writer.Write(Magnitude(value, size), size);
            run = 0;
        }

        if (run > 0)
        {
            writer.Write(tables.Ac.Codes[0x00], tables.Ac.Lengths[0x00]);
        }

        return dc;
    }

    private static int Category(int value)
    {
        var magnitude = Math.Abs(value);
        return magnitude == 0 ? 0 : 32 - int.LeadingZeroCount(magnitude);
    }

    private static int Magnitude(int value, int category) => value >= 0 ? value : value + (1 << category) - 1;

    private static void WriteHeaders(Stream s, int width, int height, int[] lumaQuant, int[] chromaQuant, bool subsample)
    {
        s.Write([0xFF, 0xD8]);
        s.Write([0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);

        s.Write([0xFF, 0xDB, 0x00, 132]);
        WriteQuant(s, 0, lumaQuant);
        WriteQuant(s, 1, chromaQuant);

        var sampling = (byte)(subsample ? 0x22 : 0x11);
        s.Write([0xFF, 0xC0, 0x00, 17, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3, 1, sampling, 0, 2, 0x11, 1, 3, 0x11, 1]);

        var tables = new (byte Class, byte[] Bits, byte[] Values)[]
        {
            (0x00, JpegTables.DcLuminanceBits.ToArray(), JpegTables.DcValues.ToArray()),
            (0x10, JpegTables.AcLuminanceBits.ToArray(), JpegTables.AcLuminanceValues.ToArray()),
            (0x01, JpegTables.DcChrominanceBits.ToArray(), JpegTables.DcValues.ToArray()),
            (0x11, JpegTables.AcChrominanceBits.ToArray(), JpegTables.AcChrominanceValues.ToArray()),
        };
        var length = 2;
        foreach (var table in tables)
        {
            length += 17 + table.Values.Length;
        }

        s.Write([0xFF, 0xC4, (byte)(length >> 8), (byte)length]);
        foreach (var table in tables)
        {
            s.WriteByte(table.Class);
            s.Write(table.Bits);
            s.Write(table.Values);
        }

        s.Write([0xFF, 0xDA, 0x00, 12, 3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
    }

    private static void WriteQuant(Stream s, byte id, int[] quant)
    {
        s.WriteByte(id);
        foreach (var natural in JpegTables.ZigZag)
        {
            s.WriteByte((byte)quant[natural]);
        }
    }

    private static float[] BuildCosines()
    {
        var table = new float[64];
        for (var u = 0; u < 8; u++)
        {
            var scale = u == 0 ? MathF.Sqrt(0.125f) : 0.5f;
            for (var x = 0; x < 8; x++)
            {
                table[(u * 8) + x] = scale * MathF.Cos(((2 * x) + 1) * u * MathF.PI / 16f);
            }
        }

        return table;
    }

    private sealed record BlockTables(int[] Quant, (ushort[] Codes, byte[] Lengths) Dc, (ushort[] Codes, byte[] Lengths) Ac);
}
