namespace Pipeline.Imaging.Tests;

public class ImageFormatTests
{
    [Theory]
    [InlineData("png", ImageFormat.Png)]
    [InlineData("jpeg", ImageFormat.Jpeg)]
    [InlineData("JPG", ImageFormat.Jpeg)]
    [InlineData(".webp", ImageFormat.WebP)]
    [InlineData("image/png", ImageFormat.Png)]
    [InlineData("image/jpeg; charset=binary", ImageFormat.Jpeg)]
    [InlineData("image/webp", ImageFormat.WebP)]
    public void TryParse_KnownName_ReturnsFormat(string text, ImageFormat expected)
    {
        Assert.True(ImageFormats.TryParse(text, out var format));
        Assert.Equal(expected, format);
    }

    [Theory]
    [InlineData("")]
    [InlineData("gif")]
    [InlineData("image/svg+xml")]
    [InlineData(null)]
    public void TryParse_UnknownName_ReturnsFalse(string? text)
    {
        Assert.False(ImageFormats.TryParse(text, out _));
    }

    [Theory]
    [InlineData(ImageFormat.Png, "image/png", "png", "png")]
    [InlineData(ImageFormat.Jpeg, "image/jpeg", "jpg", "jpeg")]
    [InlineData(ImageFormat.WebP, "image/webp", "webp", "webp")]
    public void Names_EachFormat_MatchProviderSpelling(ImageFormat format, string mime, string extension, string outputFormat)
    {
        Assert.Equal(mime, format.ToMimeType());
        Assert.Equal(extension, format.ToExtension());
        Assert.Equal(outputFormat, format.ToOutputFormat());
    }
}
