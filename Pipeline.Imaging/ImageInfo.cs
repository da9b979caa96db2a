namespace Pipeline.Imaging;

/// <summary>What <see cref="ImageInspector"/> reads from an image header: container format and pixel size.</summary>
/// <param name="Format">Container format, from the magic bytes.</param>
/// <param name="Width">Width in pixels (always positive).</param>
/// <param name="Height">Height in pixels (always positive).</param>
public sealed record ImageInfo(ImageFormat Format, int Width, int Height)
{
    /// <summary>MIME type of <see cref="Format"/>.</summary>
    public string MimeType => Format.ToMimeType();

    /// <summary>"WxH", as the OpenAI <c>size</c> parameter writes it.</summary>
    public string Size => $"{Width}x{Height}";
}
