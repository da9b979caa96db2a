using Pipeline.Imaging.Internal;

namespace Pipeline.Imaging;

/// <summary>Reads format and pixel size from the first bytes of a PNG, JPEG or WebP image, without decoding it.</summary>
public static class ImageInspector
{
    /// <summary>Returns false (and a default <paramref name="info"/>) where <see cref="Inspect"/> would throw.</summary>
    public static bool TryInspect(ReadOnlySpan<byte> data, out ImageInfo info)
    {
        var error = HeaderReader.TryRead(data, out var result);
        info = result!;
        return error is null;
    }

    /// <summary>
    /// Format and size of <paramref name="data"/>. Throws <see cref="InvalidImageException"/> with the precise reason,
    /// e.g. "not a PNG, JPEG or WebP image (first bytes 3C 68 74 6D)" or "PNG header truncated".
    /// </summary>
    public static ImageInfo Inspect(ReadOnlySpan<byte> data)
    {
        var error = HeaderReader.TryRead(data, out var result);
        return error is null ? result! : throw new InvalidImageException(error);
    }

    /// <summary>The format from the magic bytes alone, or null.</summary>
    public static ImageFormat? DetectFormat(ReadOnlySpan<byte> data) => HeaderReader.DetectFormat(data);
}
