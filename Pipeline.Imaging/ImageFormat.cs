namespace Pipeline.Imaging;

/// <summary>The image container formats the providers return.</summary>
public enum ImageFormat
{
    /// <summary>PNG (image/png).</summary>
    Png,

    /// <summary>Baseline JPEG/JFIF (image/jpeg).</summary>
    Jpeg,

    /// <summary>WebP, lossy or lossless (image/webp).</summary>
    WebP,
}

/// <summary>MIME type and file extension of an <see cref="ImageFormat"/>.</summary>
public static class ImageFormatExtensions
{
    /// <summary>"image/png", "image/jpeg" or "image/webp".</summary>
    public static string ToMimeType(this ImageFormat format) => format switch
    {
        ImageFormat.Png => "image/png",
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.WebP => "image/webp",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown image format"),
    };

    /// <summary>"png", "jpg" or "webp" (no dot).</summary>
    public static string ToExtension(this ImageFormat format) => format switch
    {
        ImageFormat.Png => "png",
        ImageFormat.Jpeg => "jpg",
        ImageFormat.WebP => "webp",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown image format"),
    };

    /// <summary>The provider's <c>output_format</c> value: "png", "jpeg" or "webp".</summary>
    public static string ToOutputFormat(this ImageFormat format) => format switch
    {
        ImageFormat.Png => "png",
        ImageFormat.Jpeg => "jpeg",
        ImageFormat.WebP => "webp",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown image format"),
    };
}

/// <summary>Parsing of format names.</summary>
public static class ImageFormats
{
    /// <summary>
    /// Parses an OpenAI <c>output_format</c> ("png", "jpeg", "webp"), a file extension ("jpg", ".png") or a MIME type
    /// ("image/jpeg", "image/png; charset=…"). Case-insensitive. Returns false for anything else.
    /// </summary>
    public static bool TryParse(string? value, out ImageFormat format)
    {
        format = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var text = value.Trim();
        var semicolon = text.IndexOf(';', StringComparison.Ordinal);
        if (semicolon >= 0)
        {
            text = text[..semicolon].Trim();
        }

        if (text.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            text = text["image/".Length..];
        }
        else if (text.StartsWith('.'))
        {
            text = text[1..];
        }

        switch (text.ToLowerInvariant())
        {
            case "png":
                format = ImageFormat.Png;
                return true;
            case "jpeg":
            case "jpg":
            case "pjpeg":
                format = ImageFormat.Jpeg;
                return true;
            case "webp":
                format = ImageFormat.WebP;
                return true;
            default:
                return false;
        }
    }
}
