using Pipeline.Imaging.Internal;

namespace Pipeline.Imaging;

/// <summary>WebP encoding: lossless (VP8L) only; there is no lossy VP8 encoder.</summary>
public static class WebPCodec
{
    /// <summary>
    /// Encodes <paramref name="image"/> as a lossless WebP (a RIFF "VP8L" chunk) using the subtract-green and predictor
    /// transforms and one set of Huffman codes for the whole image, no back-references. Sizes up to 16384 × 16384.
    /// </summary>
    public static byte[] EncodeLossless(RgbaImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Width > 16384 || image.Height > 16384)
        {
            throw new ArgumentOutOfRangeException(nameof(image), $"WebP is limited to 16384x16384; got {image.Width}x{image.Height}");
        }

        return Vp8LEncoder.Encode(image);
    }
}
