using Pipeline.Imaging;

namespace Storage.Service.Validation;

/// <summary>Checks bytes before they are stored: size cap, magic bytes, header dimensions.</summary>
public static class ImageValidator
{
    /// <summary>The image's format and size; INVALID_ARGUMENT on "data" when the bytes are not a storable image.</summary>
    public static ImageInfo Validate(ReadOnlySpan<byte> data, int maxBytes, string? declaredMimeType)
    {
        if (data.IsEmpty)
        {
            StorageException.ThrowInvalid("data", "image data is empty; send the PNG, JPEG or WebP bytes");
        }
        if (data.Length > maxBytes)
        {
            StorageException.ThrowInvalid("data", $"image is {data.Length} bytes; the limit is {maxBytes} bytes (Storage:MaxImageBytes)");
        }
        ImageInfo info;
        try
        {
            info = ImageInspector.Inspect(data);
        }
        catch (InvalidImageException ex)
        {
            throw new StorageException(StorageErrorKind.InvalidArgument, $"image data is not a storable image: {ex.Message}", "data");
        }
        if (info.Width <= 0 || info.Height <= 0)
        {
            StorageException.ThrowInvalid("data", $"image header gives {info.Width}x{info.Height} pixels; both must be positive");
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
