using System.Buffers.Binary;
using System.IO.Compression;
using Pipeline.Imaging.Internal;

namespace Pipeline.Imaging.Tests;

public class PngCodecTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Encode_ThenDecode_RoundTripsPixels(bool withAlpha)
    {
        var image = TestImages.Pattern(37, 23, withAlpha);

        var decoded = PngCodec.Decode(PngCodec.Encode(image));

        Assert.Equal(image.Pixels, decoded.Pixels);
    }

    [Fact]
    public void Encode_OpaqueImage_WritesRgbColourType()
    {
        var png = PngCodec.Encode(TestImages.Pattern(8, 8, withAlpha: false));

        Assert.Equal(2, png[25]);
        Assert.Equal(new ImageInfo(ImageFormat.Png, 8, 8), ImageInspector.Inspect(png));
    }

    [Fact]
    public void Encode_TranslucentImage_WritesRgbaColourType()
    {
        Assert.Equal(6, PngCodec.Encode(TestImages.Pattern(8, 8, withAlpha: true))[25]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Decode_EachFilterType_RoundTrips(int filterMode)
    {
        // 0-4 are the PNG filter types None, Sub, Up, Average, Paeth; 5 is the encoder's per-row adaptive choice.
        var filter = (PngFilterMode)filterMode;
        var image = TestImages.Pattern(29, 17, withAlpha: true);
        var png = PngEncoder.Encode(image, CompressionLevel.Optimal, filter);

        var decoded = PngCodec.Decode(png);

        Assert.Equal(image.Pixels, decoded.Pixels);
        var filters = RowFilters(png);
        if (filter == PngFilterMode.Adaptive)
        {
            Assert.True(filters.Distinct().Count() > 1, "adaptive filtering should pick more than one filter type here");
        }
        else
        {
            // Up has nothing above the first row, so the encoder uses Sub there.
            var expected = filters.Select((_, y) => filter == PngFilterMode.Up && y == 0 ? 1 : (int)filter);
            Assert.Equal(expected, filters);
        }
    }

    [Fact]
    public void Decode_PillowRgba_MatchesFormula() => AssertFixture("rgba8.png", p => p);

    [Fact]
    public void Decode_PillowRgb_MatchesFormulaOpaque() => AssertFixture("rgb8.png", p => p with { A = 255 });

    [Fact]
    public void Decode_PillowGray_ExpandsToRgb() => AssertFixture("gray8.png", p => new Rgba32(p.R, p.R, p.R, 255));

    [Fact]
    public void Decode_PillowGrayAlpha_ExpandsToRgba() => AssertFixture("grayalpha8.png", p => new Rgba32(p.R, p.R, p.R, p.A));

    [Theory]
    [InlineData("palette8_trns.png")]
    [InlineData("palette2_trns.png")]
    public void Decode_PalettePngWithTransparency_ReturnsRgba(string file)
    {
        Rgba32[] palette = [new(255, 0, 0, 0), new(0, 255, 0, 128), new(0, 0, 255, 255), new(255, 255, 0, 64)];

        var image = PngCodec.Decode(TestImages.Fixture(file));

        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                Assert.Equal(palette[(x + y) % 4], image.GetPixel(x, y));
            }
        }
    }

    [Fact]
    public void Decode_OneBitGray_ScalesToFullRange()
    {
        var image = PngCodec.Decode(TestImages.Fixture("gray1.png"));

        Assert.Equal(new Rgba32(0, 0, 0, 255), image.GetPixel(0, 0));
        Assert.Equal(new Rgba32(255, 255, 255, 255), image.GetPixel(1, 0));
        Assert.Equal(new Rgba32(255, 255, 255, 255), image.GetPixel(12, 10 - 1));
    }

    [Fact]
    public void Decode_Interlaced_ThrowsNotSupported()
    {
        var png = TestImages.Fixture("rgb8.png");
        png[28] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32.Compute(png.AsSpan(12, 17)));

        var ex = Assert.Throws<InvalidImageException>(() => PngCodec.Decode(png));

        Assert.Equal("PNG interlaced (Adam7) images are not supported", ex.Message);
    }

    [Fact]
    public void Decode_SixteenBit_ThrowsNotSupported()
    {
        var ex = Assert.Throws<InvalidImageException>(() => PngCodec.Decode(TestImages.Fixture("gray16.png")));

        Assert.StartsWith("PNG bit depth 16 is not supported", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_FlippedByteInChunk_ThrowsCrcMismatch()
    {
        var png = PngCodec.Encode(TestImages.Pattern(16, 16, withAlpha: true));
        png[50] ^= 0x55;

        var ex = Assert.Throws<InvalidImageException>(() => PngCodec.Decode(png));

        Assert.Equal("PNG chunk 'IDAT' CRC mismatch", ex.Message);
    }

    [Fact]
    public void Decode_TruncatedFile_ThrowsTruncated()
    {
        var png = PngCodec.Encode(TestImages.Pattern(16, 16, withAlpha: true));

        var ex = Assert.Throws<InvalidImageException>(() => PngCodec.Decode(png.AsSpan(0, png.Length - 30)));

        Assert.Equal("PNG chunk 'IDAT' truncated", ex.Message);
    }

    [Fact]
    public void Decode_ShortSignature_ThrowsHeaderTruncated()
    {
        var ex = Assert.Throws<InvalidImageException>(() => PngCodec.Decode(TestImages.Fixture("rgb8.png").AsSpan(0, 5)));

        Assert.Equal("PNG header truncated", ex.Message);
    }

    [Fact]
    public void Decode_Jpeg_ThrowsNotPng()
    {
        var ex = Assert.Throws<InvalidImageException>(() => PngCodec.Decode(TestImages.Fixture("photo.jpg")));

        Assert.Equal("not a PNG image (bad signature)", ex.Message);
    }

    [Fact]
    public void Decode_TooLittleImageData_ThrowsWithByteCounts()
    {
        // A valid zlib stream that inflates to fewer bytes than 4 rows of a 4x4 RGB image need.
        var png = BuildPng(4, 4, colorType: 2, rawScanlines: new byte[20]);

        var ex = Assert.Throws<InvalidImageException>(() => PngCodec.Decode(png));

        Assert.Equal("PNG image data truncated: 20 of 52 bytes", ex.Message);
    }

    [Fact]
    public void Decode_UnknownFilterType_ThrowsNamingRow()
    {
        var raw = new byte[4 * 13];
        raw[13] = 7;
        var png = BuildPng(4, 4, colorType: 2, rawScanlines: raw);

        var ex = Assert.Throws<InvalidImageException>(() => PngCodec.Decode(png));

        Assert.Equal("PNG row 1 has invalid filter type 7", ex.Message);
    }

    [Fact]
    public void Decode_GarbageImageData_ThrowsCorrupt()
    {
        var png = BuildPng(4, 4, colorType: 2, rawScanlines: null, idat: [0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0xFF]);

        var ex = Assert.Throws<InvalidImageException>(() => PngCodec.Decode(png));

        Assert.StartsWith("PNG image data", ex.Message, StringComparison.Ordinal);
    }

    private static void AssertFixture(string file, Func<Rgba32, Rgba32> expected)
    {
        var image = PngCodec.Decode(TestImages.Fixture(file));

        Assert.Equal((TestImages.FixtureWidth, TestImages.FixtureHeight), (image.Width, image.Height));
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                Assert.Equal(expected(TestImages.FixturePixel(x, y)), image.GetPixel(x, y));
            }
        }
    }

    private static List<int> RowFilters(byte[] png)
    {
        var idat = new MemoryStream();
        var pos = 8;
        while (pos < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            if (png.AsSpan(pos + 4, 4).SequenceEqual("IDAT"u8))
            {
                idat.Write(png, pos + 8, length);
            }

            pos += length + 12;
        }

        idat.Position = 0;
        var raw = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
        {
            z.CopyTo(raw);
        }

        var width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16));
        var height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
        var channels = png[25] == 6 ? 4 : 3;
        var bytes = raw.ToArray();
        return Enumerable.Range(0, height).Select(y => (int)bytes[y * ((width * channels) + 1)]).ToList();
    }

    private static byte[] BuildPng(int width, int height, byte colorType, byte[]? rawScanlines, byte[]? idat = null)
    {
        if (idat is null)
        {
            var buffer = new MemoryStream();
            using (var z = new ZLibStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                z.Write(rawScanlines);
            }

            idat = buffer.ToArray();
        }

        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = colorType;
        var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(output, "IHDR"u8, ihdr);
        Chunk(output, "IDAT"u8, idat);
        Chunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static void Chunk(Stream s, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        s.Write(word);
        s.Write(type);
        s.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Append(Crc32.Compute(type), data));
        s.Write(word);
    }
}
