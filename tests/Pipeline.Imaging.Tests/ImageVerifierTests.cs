using System.Buffers.Binary;
using System.IO.Hashing;

namespace Pipeline.Imaging.Tests;

public class ImageVerifierTests
{
    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Verify_PillowFixture_IsComplete(string file)
    {
        var info = ImageVerifier.Verify(Fixtures.Read(file));

        Assert.Equal((Fixtures.Width, Fixtures.Height), (info.Width, info.Height));
    }

    public static TheoryData<string> FixtureNames() => new(Fixtures.All);

    [Theory]
    [InlineData(ImageFormat.Png, 64, 48)]
    [InlineData(ImageFormat.Jpeg, 1536, 1024)]
    [InlineData(ImageFormat.WebP, 333, 111)]
    public void Verify_SkiaImage_ReturnsFormatAndSize(ImageFormat format, int width, int height)
    {
        var info = ImageVerifier.Verify(TestImages.Encode(format, width, height, seed: 3));

        Assert.Equal(new ImageInfo(format, width, height), info);
    }

    [Fact]
    public void Verify_PngCutInsideImageData_SaysWhichChunkEnds()
    {
        var ex = Assert.Throws<InvalidImageException>(() => ImageVerifier.Verify(TestImages.TruncatedPng()));

        Assert.StartsWith("PNG ends inside chunk IDAT, without IEND (", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_PngWithoutIend_SaysTheLastChunk()
    {
        var png = TestImages.Png(20, 10);

        var ex = Assert.Throws<InvalidImageException>(() => ImageVerifier.Verify(png[..^12]));

        Assert.Equal("PNG ends after chunk IDAT without IEND", ex.Message);
    }

    [Fact]
    public void Verify_PngEndingAfterIhdr_SaysIhdr()
    {
        var ex = Assert.Throws<InvalidImageException>(() => ImageVerifier.Verify(TestImages.Png()[..33]));

        Assert.Equal("PNG ends after chunk IHDR without IEND", ex.Message);
    }

    [Fact]
    public void Verify_PngWithFlippedDataByte_FailsTheCrc()
    {
        var png = TestImages.Png(20, 10);
        var idat = png.AsSpan().IndexOf("IDAT"u8);
        png[idat + 6] ^= 0x40;

        var ex = Assert.Throws<InvalidImageException>(() => ImageVerifier.Verify(png));

        Assert.Matches("^PNG chunk IDAT at offset [0-9]+ fails its CRC \\(stored [0-9A-F]{8}, computed [0-9A-F]{8}\\)$", ex.Message);
    }

    [Fact]
    public void Verify_PngWithBytesAfterIend_IsRefused()
    {
        byte[] png = [.. TestImages.Png(), 0, 0, 0];

        var ex = Assert.Throws<InvalidImageException>(() => ImageVerifier.Verify(png));

        Assert.Equal("PNG has 3 bytes after IEND; IEND must be last", ex.Message);
    }

    [Fact]
    public void Verify_PngWithoutImageData_IsRefused()
    {
        var png = TestImages.Png();
        byte[] headerOnly = [.. png.AsSpan(0, 33), .. png.AsSpan(png.Length - 12)];

        var ex = Assert.Throws<InvalidImageException>(() => ImageVerifier.Verify(headerOnly));

        Assert.Equal("PNG reaches IEND without any IDAT chunk", ex.Message);
    }

    [Fact]
    public void Verify_PngWithGarbageChunkType_NamesIt()
    {
        var png = TestImages.Png();
        png[37] = (byte)'#';

        var ex = Assert.Throws<InvalidImageException>(() => ImageVerifier.Verify(png));

        Assert.StartsWith("PNG chunk after chunk IHDR has an invalid type '", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_PngDeclaring60000Squared_IsRefusedByItsHeader()
    {
        var ex = Assert.Throws<InvalidImageException>(() => ImageVerifier.Verify(TestImages.PngDeclaring(60_000, 60_000)));

        Assert.Equal("PNG declares 60000x60000 pixels (3600 MP); the limit is 100 MP and 16384 per side", ex.Message);
    }

    [Fact]
    public void Verify_OneSideOverTheLimit_IsRefusedEvenWhenSmall()
    {
        var ex = Assert.Throws<InvalidImageException>(() => ImageVerifier.Verify(TestImages.PngDeclaring(20_000, 100)));

        Assert.Equal("PNG declares 20000x100 pixels (2 MP); the limit is 100 MP and 16384 per side", ex.Message);
    }

    [Fact]
    public void Verify_ConfiguredLimits_AreApplied()
    {
        var png = TestImages.Png(64, 48);
        var limits = new ImageLimits { MaxSide = 32 };

        Assert.False(ImageVerifier.TryVerify(png, limits, out var info, out var error));

        Assert.Null(info);
        Assert.Equal("PNG declares 64x48 pixels (0 MP); the limit is 100 MP and 32 per side", error);
        Assert.Equal(new ImageInfo(ImageFormat.Png, 64, 48), ImageVerifier.Verify(png));
    }

    [Fact]
    public void Verify_PngAtExactlyTheLimits_IsAccepted()
    {
        var info = ImageVerifier.Verify(TestImages.PngDeclaring(10_000, 10_000), new ImageLimits { MaxSide = 10_000 });

        Assert.Equal((10_000, 10_000), (info.Width, info.Height));
    }

    [Fact]
    public void Verify_JpegWithoutEoi_SaysNoEoi()
    {
        var ex = Assert.Throws<InvalidImageException>(() => ImageVerifier.Verify(TestImages.JpegWithoutEoi()));

        Assert.Equal("JPEG has no EOI marker: it ends inside the entropy-coded data of scan 1", ex.Message);
    }

    [Fact]
    public void Verify_ProgressiveJpegCut_NamesTheScan()
    {
        var jpeg = Fixtures.Read("progressive.jpg");

        var ex = Assert.Throws<InvalidImageException>(() => ImageVerifier.Verify(jpeg[..^2]));

        Assert.Matches("^JPEG has no EOI marker: it ends inside the entropy-coded data of scan ([2-9]|[1-9][0-9])$", ex.Message);
    }

    [Fact]
    public void Verify_JpegCutInsideATable_NamesTheSegment()
    {
        var jpeg = TestImages.Jpeg();
        var sos = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xDA]);

        var ex = Assert.Throws<InvalidImageException>(() => ImageVerifier.Verify(jpeg[..(sos + 6)]));

        Assert.StartsWith("JPEG has no EOI marker: it ends inside the SOS segment (", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_JpegWithBytesAfterEoi_IsAccepted()
    {
        byte[] jpeg = [.. TestImages.Jpeg(), .. "appended preview"u8];

        Assert.Equal(ImageFormat.Jpeg, ImageVerifier.Verify(jpeg).Format);
    }

    [Fact]
    public void Verify_JpegWithGarbageBetweenSegments_SaysWhere()
    {
        var jpeg = TestImages.Jpeg();
        var sof = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        var afterSof = sof + 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(sof + 2));
        jpeg[afterSof] = 0x12;

        var ex = Assert.Throws<InvalidImageException>(() => ImageVerifier.Verify(jpeg));

        Assert.Equal($"JPEG has 0x12 at offset {afterSof} after SOF0, where a marker belongs", ex.Message);
    }

    [Fact]
    public void Verify_WebPCut_SaysDeclaredAndPresent()
    {
        var webp = TestImages.WebP(64, 48);

        var ex = Assert.Throws<InvalidImageException>(() => ImageVerifier.Verify(webp[..^10]));

        Assert.Equal($"WebP is truncated: its RIFF header declares {webp.Length} bytes, {webp.Length - 10} present", ex.Message);
    }

    [Fact]
    public void Verify_WebPWithBytesAfterRiff_IsRefused()
    {
        byte[] webp = [.. TestImages.WebP(), 1, 2, 3, 4];

        var ex = Assert.Throws<InvalidImageException>(() => ImageVerifier.Verify(webp));

        Assert.Equal($"WebP has 4 bytes after its RIFF chunk ({webp.Length - 4} bytes declared)", ex.Message);
    }

    [Fact]
    public void Verify_WebPChunkLongerThanTheFile_IsRefused()
    {
        var webp = TestImages.WebP();
        BinaryPrimitives.WriteUInt32LittleEndian(webp.AsSpan(16), (uint)webp.Length);

        var ex = Assert.Throws<InvalidImageException>(() => ImageVerifier.Verify(webp));

        Assert.Equal($"WebP chunk 'VP8 ' declares {webp.Length} bytes, {webp.Length - 20} present", ex.Message);
    }

    [Fact]
    public void Verify_WebPExtendedHeaderWithoutImage_IsRefused()
    {
        byte[] webp =
        [
            .. "RIFF"u8, 22, 0, 0, 0, .. "WEBP"u8, .. "VP8X"u8, 10, 0, 0, 0,
            0x10, 0, 0, 0, 0xFF, 0x05, 0x00, 0xFF, 0x03, 0x00,
        ];

        var ex = Assert.Throws<InvalidImageException>(() => ImageVerifier.Verify(webp));

        Assert.Equal("WebP VP8X file has no image chunk (VP8, VP8L or ANMF)", ex.Message);
    }

    [Fact]
    public void Verify_NotAnImage_GivesTheHeaderReason()
    {
        var ex = Assert.Throws<InvalidImageException>(() => ImageVerifier.Verify("<html><body>"u8));

        Assert.Equal("not a PNG, JPEG or WebP image (first bytes 3C 68 74 6D)", ex.Message);
    }

    [Fact]
    public void Verify_ChunkCrc_IsTheIeeeCrc32OverTypeAndData()
    {
        // The PNG specification's own check value: CRC-32 of "IEND" with no data is AE426082.
        Assert.Equal(0xAE426082u, Crc32.HashToUInt32("IEND"u8));
        var png = TestImages.Png();
        Assert.Equal(0xAE426082u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(png.Length - 4)));
    }
}
