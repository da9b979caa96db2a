using System.Diagnostics.CodeAnalysis;
using Pipeline.Imaging.Internal;

namespace Pipeline.Imaging;

/// <summary>
/// Checks that an image is complete and within <see cref="ImageLimits"/>, without decoding a pixel: the header is read,
/// the declared dimensions are checked first, then the container is walked end to end. A PNG's chunks (length, type,
/// CRC-32) must run through IEND with nothing after it; a JPEG's segments must run from SOI through its scans to EOI
/// (bytes after EOI, e.g. a phone's appended preview, are allowed); a WebP's RIFF size must match the byte count and
/// its chunks must fill it, starting with VP8, VP8L or VP8X.
/// </summary>
public static class ImageVerifier
{
    /// <summary>
    /// Format and size of a complete image within <paramref name="limits"/>; otherwise <see cref="InvalidImageException"/>
    /// saying exactly what is wrong, e.g. "PNG ends after chunk IDAT without IEND" or "JPEG has no EOI marker: …".
    /// </summary>
    public static ImageInfo Verify(ReadOnlySpan<byte> data, ImageLimits limits) =>
        TryVerify(data, limits, out var info, out var error) ? info : throw new InvalidImageException(error);

    /// <summary>As <see cref="Verify(ReadOnlySpan{byte}, ImageLimits)"/> with <see cref="ImageLimits.Default"/>.</summary>
    public static ImageInfo Verify(ReadOnlySpan<byte> data) => Verify(data, ImageLimits.Default);

    /// <summary>Returns false with the reason where <see cref="Verify(ReadOnlySpan{byte}, ImageLimits)"/> would throw.</summary>
    public static bool TryVerify(
        ReadOnlySpan<byte> data, ImageLimits limits, [NotNullWhen(true)] out ImageInfo? info, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        info = null;
        error = HeaderReader.TryRead(data, out var header) ?? limits.Check(header!) ?? header!.Format switch
        {
            ImageFormat.Png => StructureWalker.Png(data),
            ImageFormat.Jpeg => StructureWalker.Jpeg(data),
            _ => StructureWalker.WebP(data),
        };
        if (error is not null)
        {
            return false;
        }
        info = header!;
        return true;
    }
}
