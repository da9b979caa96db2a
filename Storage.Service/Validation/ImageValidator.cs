using Pipeline.Imaging;

namespace Storage.Service.Validation;

/// <summary>
/// Checks bytes before they are stored: size cap, magic bytes, declared dimensions within <see cref="ImageLimits"/> (before
/// anything else is read), then completeness without decoding (<see cref="ImageVerifier"/>: PNG through IEND, JPEG to EOI,
/// WebP's RIFF size).
/// </summary>
public static class ImageValidator
{
    /// <summary>The image's format and size; INVALID_ARGUMENT on "data" (saying exactly what is wrong) when the bytes are not a storable image.</summary>
    public static ImageInfo Validate(ReadOnlySpan<byte> data, int maxBytes, ImageLimits limits, string? declaredMimeType)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (data.IsEmpty)
        {
            StorageException.ThrowInvalid("data", "image data is empty; send the PNG, JPEG or WebP bytes");
        }
        if (data.Length > maxBytes)
        {
            StorageException.ThrowInvalid("data", $"image is {data.Length} bytes; the limit is {maxBytes} bytes (Storage:MaxImageBytes)");
        }
        ImageInfo header;
        try
        {
            header = ImageInspector.Inspect(data);
        }
        catch (InvalidImageException ex)
        {
            throw new StorageException(StorageErrorKind.InvalidArgument, $"image data is not a storable image: {ex.Message}", "data");
        }
        if (limits.Check(header) is { } tooLarge)
        {
            StorageException.ThrowInvalid("data", $"image is refused: {tooLarge} (Storage:ImageLimits)");
        }
        if (!ImageVerifier.TryVerify(data, limits, out var info, out var problem))
        {
            StorageException.ThrowInvalid("data", $"image data is not a complete image: {problem}");
        }
        if (!string.IsNullOrWhiteSpace(declaredMimeType)
            && (!ImageFormats.TryParse(declaredMimeType, out var declared) || declared != info.Format))
        {
            StorageException.ThrowInvalid("mime_type",
                $"mime_type '{declaredMimeType}' does not match the bytes, which are {info.MimeType}; send the right type or leave it empty");
        }
        return info;
    }
}
