using Pipeline.Imaging;

namespace ProviderEmulator.Rendering;

/// <summary>Pixel operations for partial frames and edits.</summary>
internal static class ImageFilters
{
    /// <summary>Averages <paramref name="block"/>-pixel squares: the coarse stages of a partial image.</summary>
    public static RgbaImage Pixelate(RgbaImage source, int block)
    {
        var (w, h) = (source.Width, source.Height);
        var result = new RgbaImage(w, h);
        var src = source.Pixels;
        var dst = result.Pixels;
        for (var by = 0; by < h; by += block)
        {
            for (var bx = 0; bx < w; bx += block)
            {
                var xEnd = Math.Min(w, bx + block);
                var yEnd = Math.Min(h, by + block);
                long r = 0, g = 0, b = 0, a = 0;
                for (var y = by; y < yEnd; y++)
                {
                    for (int x = bx, p = ((y * w) + bx) * 4; x < xEnd; x++, p += 4)
                    {
                        r += src[p];
                        g += src[p + 1];
                        b += src[p + 2];
                        a += src[p + 3];
                    }
                }

                var count = (xEnd - bx) * (yEnd - by);
                byte rr = (byte)(r / count), gg = (byte)(g / count), bb = (byte)(b / count), aa = (byte)(a / count);
                for (var y = by; y < yEnd; y++)
                {
                    for (int x = bx, p = ((y * w) + bx) * 4; x < xEnd; x++, p += 4)
                    {
                        dst[p] = rr;
                        dst[p + 1] = gg;
                        dst[p + 2] = bb;
                        dst[p + 3] = aa;
                    }
                }
            }
        }

        return result;
    }

    /// <summary>Nearest-neighbour resize.</summary>
    public static RgbaImage Resize(RgbaImage source, int width, int height)
    {
        if (source.Width == width && source.Height == height)
        {
            return source;
        }

        var result = new RgbaImage(width, height);
        for (var y = 0; y < height; y++)
        {
            var sy = y * source.Height / height;
            for (var x = 0; x < width; x++)
            {
                var s = ((sy * source.Width) + (x * source.Width / width)) * 4;
                Buffer.BlockCopy(source.Pixels, s, result.Pixels, ((y * width) + x) * 4, 4);
            }
        }

        return result;
    }

    /// <summary>
    /// An edit: the generated picture where the mask is transparent (editable), the input elsewhere; without a mask, the
    /// two blended half and half.
    /// </summary>
    public static RgbaImage Composite(RgbaImage generated, RgbaImage input, RgbaImage? mask)
    {
        var (w, h) = (generated.Width, generated.Height);
        var source = Resize(input, w, h);
        var maskScaled = mask is null ? null : Resize(mask, w, h);
        var result = generated.Clone();
        var dst = result.Pixels;
        var src = source.Pixels;
        for (var p = 0; p < dst.Length; p += 4)
        {
            if (maskScaled is not null)
            {
                if (maskScaled.Pixels[p + 3] != 0)
                {
                    Buffer.BlockCopy(src, p, dst, p, 4);
                }
            }
            else
            {
                for (var c = 0; c < 4; c++)
                {
                    dst[p + c] = (byte)((dst[p + c] + src[p + c]) / 2);
                }
            }
        }

        return result;
    }
}
