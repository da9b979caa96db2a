using Pipeline.Imaging;

namespace ProviderEmulator.Rendering;

/// <summary>What to draw and how to encode it. Equal specs give byte-identical images.</summary>
/// <param name="Prompt">The prompt; its hash seeds the palette and the shapes.</param>
/// <param name="Width">Pixels.</param>
/// <param name="Height">Pixels.</param>
/// <param name="Seed">Extra seed (OpenRouter <c>seed</c>, image index for n &gt; 1).</param>
/// <param name="Transparent">Transparent background (shapes stay opaque); PNG and WebP keep the alpha channel.</param>
/// <param name="Format">Container format.</param>
/// <param name="Compression">0–100: JPEG and (lossy) WebP quality; ignored for PNG.</param>
/// <param name="Edit">Input image (and mask) of an edit, or null.</param>
internal sealed record ImageSpec(
    string Prompt, int Width, int Height, long Seed, bool Transparent, ImageFormat Format, int Compression, EditInput? Edit = null)
{
    public string CacheKey => $"{Width}x{Height}|{Seed}|{Transparent}|{Format}|{Compression}|{Edit?.Digest}|{Prompt}";
}

/// <summary>The first input image of an edit (decoded) and the optional mask.</summary>
/// <param name="Digest">Hash of all input bytes, part of the cache key and the seed.</param>
/// <param name="Image">Decoded first image, or null when it could not be decoded (Responses and OpenRouter inputs).</param>
/// <param name="Mask">Decoded mask (alpha 0 = editable), or null.</param>
internal sealed record EditInput(string Digest, Raster? Image, Raster? Mask)
{
    /// <summary>
    /// The edit input of a Responses or OpenRouter request whose input images are <paramref name="images"/> (no mask), or
    /// null when there are none. The first image is decoded when it can be; one whose header declares more pixels than
    /// <see cref="UploadDecoder"/> allows is refused (400, <paramref name="param"/>) before anything is allocated.
    /// </summary>
    public static EditInput? FromFirstImage(IReadOnlyList<byte[]> images, string param)
    {
        if (images.Count == 0)
        {
            return null;
        }

        var first = images[0];
        Raster? decoded = null;
        if (ImageInspector.TryInspect(first, out var info))
        {
            UploadDecoder.EnsureWithinLimits(info, "Input image 1", param);
            decoded = UploadDecoder.TryDecode(first);
        }

        return new EditInput(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(first))[..16], decoded, null);
    }
}
