using System.Buffers.Binary;
using Pipeline.Imaging;
using ProviderEmulator.Hosting;
using SkiaSharp;

namespace ProviderEmulator.Rendering;

/// <summary>
/// Decodes uploaded images (PNG, JPEG, WebP) with Skia. Dimensions are checked from the header first, so a small file
/// that declares a huge picture (a decompression bomb) is refused before any pixel memory is allocated.
/// </summary>
internal static class UploadDecoder
{
    /// <summary>Most pixels an upload may declare: 100 megapixels.</summary>
    public const long MaxPixels = 100_000_000;

    /// <summary>Longest side an upload may declare, in pixels.</summary>
    public const int MaxSide = 16_384;

    /// <summary>Throws a 400 (<c>image_too_large</c>, <paramref name="param"/>) when <paramref name="info"/> is over the limits.</summary>
    public static void EnsureWithinLimits(ImageInfo info, string what, string param)
    {
        if (!IsWithinLimits(info.Width, info.Height))
        {
            throw new ApiErrorException(new ApiError(
                400,
                $"{what} declares {info.Width}x{info.Height} pixels; the limit is {MaxPixels / 1_000_000} megapixels and {MaxSide} pixels per side.",
                Param: param,
                Code: "image_too_large"));
        }
    }

    public static bool IsWithinLimits(int width, int height) =>
        width is > 0 and <= MaxSide && height is > 0 and <= MaxSide && (long)width * height <= MaxPixels;

    /// <summary>The decoded pixels, or null when Skia cannot decode all of them (corrupt or truncated data).</summary>
    public static Raster? TryDecode(byte[] bytes)
    {
        using var data = SKData.CreateCopy(ImageInspector.DetectFormat(bytes) == ImageFormat.Png ? PixelChunksOnly(bytes) : bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null || !IsWithinLimits(codec.Info.Width, codec.Info.Height))
        {
            return null;
        }

        var raster = new Raster(codec.Info.Width, codec.Info.Height);
        var result = raster.Use(pixmap => codec.GetPixels(raster.Info, pixmap.GetPixels()));
        return result == SKCodecResult.Success ? raster : null;
    }

    /// <summary>
    /// The PNG without ancillary chunks that do not affect pixels (text, time, private chunks such as the emulator's own
    /// padding). Skia's PNG decoder takes minutes over a 30 MB unknown chunk; it never needs to see one.
    /// </summary>
    private static byte[] PixelChunksOnly(byte[] png)
    {
        var output = new MemoryStream(png.Length);
        output.Write(png, 0, Math.Min(8, png.Length));
        var at = 8;
        while (at + 12 <= png.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at));
            if (length > (uint)(png.Length - at - 12))
            {
                output.Write(png, at, png.Length - at);
                break;
            }

            var type = png.AsSpan(at + 4, 4);
            var critical = (type[0] & 0x20) == 0;
            if (critical || IsPixelAncillary(type))
            {
                output.Write(png, at, (int)length + 12);
            }

            at += (int)length + 12;
        }

        return output.ToArray();
    }

    private static bool IsPixelAncillary(ReadOnlySpan<byte> type) =>
        type.SequenceEqual("tRNS"u8) || type.SequenceEqual("gAMA"u8) || type.SequenceEqual("sRGB"u8)
        || type.SequenceEqual("iCCP"u8) || type.SequenceEqual("cHRM"u8) || type.SequenceEqual("sBIT"u8);
}
