using System.Text;

namespace Pipeline.Imaging.Tests;

public class ImageInspectorTests
{
    [Theory]
    [InlineData("rgba8.png", ImageFormat.Png)]
    [InlineData("palette2_trns.png", ImageFormat.Png)]
    [InlineData("photo.jpg", ImageFormat.Jpeg)]
    [InlineData("progressive.jpg", ImageFormat.Jpeg)]
    [InlineData("lossy.webp", ImageFormat.WebP)]
    [InlineData("lossless.webp", ImageFormat.WebP)]
    public void Inspect_PillowFixture_ReadsFormatAndSize(string file, ImageFormat format)
    {
        var info = ImageInspector.Inspect(Fixtures.Read(file));

        Assert.Equal(new ImageInfo(format, Fixtures.Width, Fixtures.Height), info);
        Assert.Equal(format.ToMimeType(), info.MimeType);
    }

    [Fact]
    public void Inspect_WebPExtendedHeader_ReadsCanvasSize()
    {
        // RIFF, size, WEBP, VP8X, chunk size 10, flags (alpha), reserved, width-1 = 1535 (24-bit LE), height-1 = 1023.
        byte[] data =
        [
            .. "RIFF"u8, 0x1E, 0, 0, 0, .. "WEBP"u8, .. "VP8X"u8, 10, 0, 0, 0,
            0x10, 0, 0, 0, 0xFF, 0x05, 0x00, 0xFF, 0x03, 0x00,
        ];

        var info = ImageInspector.Inspect(data);

        Assert.Equal(new ImageInfo(ImageFormat.WebP, 1536, 1024), info);
    }

    [Fact]
    public void Inspect_Html_ThrowsWithFirstBytes()
    {
        var ex = Assert.Throws<InvalidImageException>(() => ImageInspector.Inspect("<html><body>"u8));

        Assert.Equal("not a PNG, JPEG or WebP image (first bytes 3C 68 74 6D)", ex.Message);
    }

    [Fact]
    public void Inspect_Empty_Throws()
    {
        var ex = Assert.Throws<InvalidImageException>(() => ImageInspector.Inspect([]));

        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rgba8.png", 20, "PNG header truncated")]
    [InlineData("photo.jpg", 4, "JPEG truncated before the SOF marker")]
    [InlineData("lossy.webp", 16, "WebP header truncated")]
    [InlineData("lossy.webp", 24, "WebP VP8 frame header truncated")]
    [InlineData("lossless.webp", 22, "WebP VP8L header truncated")]
    public void Inspect_TruncatedHeader_ThrowsPreciseReason(string file, int keep, string reason)
    {
        var data = Fixtures.Read(file).AsSpan(0, keep).ToArray();

        var ex = Assert.Throws<InvalidImageException>(() => ImageInspector.Inspect(data));

        Assert.Equal(reason, ex.Message);
        Assert.False(ImageInspector.TryInspect(data, out _));
    }

    [Fact]
    public void Inspect_PngWithoutIhdrFirst_ThrowsNamingChunk()
    {
        var data = Fixtures.Read("rgb8.png");
        Encoding.ASCII.GetBytes("gAMA").CopyTo(data, 12);

        var ex = Assert.Throws<InvalidImageException>(() => ImageInspector.Inspect(data));

        Assert.Equal("PNG first chunk is 'gAMA', expected 'IHDR'", ex.Message);
    }

    [Fact]
    public void TryInspect_SkiaJpeg_ReadsBackDimensions()
    {
        var jpeg = TestImages.Jpeg(1536, 1024);

        Assert.True(ImageInspector.TryInspect(jpeg, out var info));
        Assert.Equal(new ImageInfo(ImageFormat.Jpeg, 1536, 1024), info);
    }

    [Fact]
    public void DetectFormat_UnknownBytes_ReturnsNull()
    {
        Assert.Null(ImageInspector.DetectFormat("GIF89a"u8));
        Assert.Equal(ImageFormat.Png, ImageInspector.DetectFormat(Fixtures.Read("gray8.png")));
    }
}
