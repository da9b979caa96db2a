using Pipeline.Imaging.Internal;

namespace Pipeline.Imaging;

/// <summary>Baseline JPEG (JFIF) encoding with the standard Annex K quantisation and Huffman tables.</summary>
public static class JpegCodec
{
    /// <summary>
    /// Encodes <paramref name="image"/> as a baseline JPEG. <paramref name="quality"/> is 1–100 (IJG scaling of the
    /// Annex K tables, default 85); below 90 chroma is subsampled 4:2:0, from 90 up it is kept at 4:4:4.
    /// Alpha is composited over white, since JPEG has no alpha channel.
    /// </summary>
    public static byte[] Encode(RgbaImage image, int quality = 85)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        return JpegEncoder.Encode(image, quality, subsample: quality < 90);
    }
}
