using Pipeline.Imaging;

namespace ProviderEmulator.Rendering;

/// <summary>What to draw and how to encode it. Equal specs give byte-identical images.</summary>
/// <param name="Prompt">The prompt; its hash seeds the palette and the shapes.</param>
/// <param name="Width">Pixels.</param>
/// <param name="Height">Pixels.</param>
/// <param name="Seed">Extra seed (OpenRouter <c>seed</c>, image index for n &gt; 1).</param>
/// <param name="Transparent">Transparent background (shapes stay opaque).</param>
/// <param name="Format">Container format.</param>
/// <param name="Compression">0–100: JPEG quality; ignored for PNG and (lossless) WebP.</param>
/// <param name="Edit">Input image (and mask) of an edit, or null.</param>
internal sealed record ImageSpec(
    string Prompt, int Width, int Height, long Seed, bool Transparent, ImageFormat Format, int Compression, EditInput? Edit = null)
{
    public string CacheKey => $"{Width}x{Height}|{Seed}|{Transparent}|{Format}|{Compression}|{Edit?.Digest}|{Prompt}";
}

/// <summary>The first input image of an edit (decoded when it is a PNG) and the optional mask.</summary>
/// <param name="Digest">Hash of all input bytes, part of the cache key and the seed.</param>
/// <param name="Image">Decoded first image, or null when it is not a PNG.</param>
/// <param name="Mask">Decoded mask (alpha 0 = editable), or null.</param>
internal sealed record EditInput(string Digest, RgbaImage? Image, RgbaImage? Mask)
{
    /// <summary>The edit input of a request whose input images are <paramref name="images"/> (no mask), or null when there are none.</summary>
    public static EditInput? FromFirstImage(IReadOnlyList<byte[]> images)
    {
        if (images.Count == 0)
        {
            return null;
        }
        var first = images[0];
        RgbaImage? decoded = null;
        if (ImageInspector.DetectFormat(first) == ImageFormat.Png)
        {
            try
            {
                decoded = PngCodec.Decode(first);
            }
            catch (InvalidImageException)
            {
                decoded = null;
            }
        }
        return new EditInput(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(first))[..16], decoded, null);
    }
}
