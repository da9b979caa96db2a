using Pipeline.Imaging;
using ProviderEmulator.Hosting;
using ProviderEmulator.Rendering;
using ProviderEmulator.Tests.Support;
using SkiaSharp;

namespace ProviderEmulator.Tests.Rendering;

public class UploadDecoderTests
{
    [Fact]
    public async Task TryDecode_PngWithA30MegabytePrivateChunk_DecodesItsPixelsPromptly()
    {
        var png = TestImages.SolidPng(1024, 1024, new SKColor(200, 30, 30));
        var padded = ImagePadding.PadTo(png, ImageFormat.Png, 30L * 1024 * 1024);

        // Skia alone spends minutes inside such a chunk (the adapters' 60 MiB edit test sends two); the bound catches that.
        var decoded = await Task.Run(() => UploadDecoder.TryDecode(padded), TestTimeouts.Token()).DefaultTimeout();

        Assert.NotNull(decoded);
        Assert.Equal((1024, 1024), (decoded.Width, decoded.Height));
        Assert.Equal(UploadDecoder.TryDecode(png)!.Pixels, decoded.Pixels);
    }

    [Theory]
    [InlineData(ImageFormat.Png)]
    [InlineData(ImageFormat.Jpeg)]
    [InlineData(ImageFormat.WebP)]
    public void TryDecode_TruncatedImage_IsNull(ImageFormat format)
    {
        var studio = new ImageStudio(new EmulatorOptions { CacheImages = false }, Microsoft.Extensions.Logging.Abstractions.NullLogger<ImageStudio>.Instance);
        var image = studio.Final(new ImageSpec("a truncated harbour", 256, 256, 0, false, format, 90));

        Assert.NotNull(UploadDecoder.TryDecode(image));
        Assert.Null(UploadDecoder.TryDecode(image[..(image.Length / 2)]));
    }

    [Theory]
    [InlineData(16_384, 6_103, true)]
    [InlineData(16_385, 16, false)]
    [InlineData(10_001, 10_000, false)]
    [InlineData(10_000, 10_000, true)]
    public void EnsureWithinLimits_At100MegapixelsAnd16384PerSide(int width, int height, bool allowed)
    {
        var info = new ImageInfo(ImageFormat.Png, width, height);

        var error = Record.Exception(() => UploadDecoder.EnsureWithinLimits(info, "Image 1", "image"));

        if (allowed)
        {
            Assert.Null(error);
        }
        else
        {
            var api = Assert.IsType<ApiErrorException>(error).Error;
            Assert.Equal((400, "image", "image_too_large"), (api.Status, api.Param, api.Code));
        }
    }
}
