using SkiaSharp;

namespace ProviderEmulator.Rendering;

/// <summary>Pixel operations for partial frames and edits, drawn with Skia.</summary>
internal static class ImageFilters
{
    private static readonly SKSamplingOptions Smooth = new(SKFilterMode.Linear, SKMipmapMode.Linear);

    /// <summary>
    /// A progressive preview of <paramref name="final"/>: shrunk by <paramref name="block"/> and scaled back up (so
    /// detail finer than a block is gone), with a light grey veil of <paramref name="veil"/> (0–1) as early previews of
    /// a real generator are washed out. Larger blocks and veils give coarser previews.
    /// </summary>
    public static Raster Preview(Raster final, int block, float veil)
    {
        var (width, height) = (Math.Max(1, final.Width / block), Math.Max(1, final.Height / block));
        var small = Raster.Draw(width, height, canvas => final.DrawOn(canvas, SKRect.Create(width, height), Smooth));
        var keep = 1 - veil;
        var grey = 0.5f * veil;
        using var washedOut = SKColorFilter.CreateColorMatrix(
        [
            keep, 0, 0, 0, grey,
            0, keep, 0, 0, grey,
            0, 0, keep, 0, grey,
            0, 0, 0, 1, 0,
        ]);
        using var paint = new SKPaint { ColorFilter = washedOut };
        return Raster.Draw(final.Width, final.Height, canvas =>
            small.DrawOn(canvas, SKRect.Create(final.Width, final.Height), new SKSamplingOptions(SKFilterMode.Linear), paint));
    }

    /// <summary>
    /// An edit: the input scaled to the generated picture's size, kept where the mask is opaque and replaced by the
    /// generated picture where the mask is transparent (alpha 0 = editable, as OpenAI documents); partial mask alpha
    /// blends the two. Without a mask, the two are blended half and half.
    /// </summary>
    public static Raster Composite(Raster generated, Raster input, Raster? mask)
    {
        var whole = SKRect.Create(generated.Width, generated.Height);
        return Raster.Draw(generated.Width, generated.Height, canvas =>
        {
            generated.DrawOn(canvas, whole, SKSamplingOptions.Default);
            if (mask is null)
            {
                using var half = new SKPaint { Color = SKColors.Black.WithAlpha(128) };
                input.DrawOn(canvas, whole, Smooth, half);
                return;
            }

            canvas.SaveLayer();
            input.DrawOn(canvas, whole, Smooth);
            using var keepWhereOpaque = new SKPaint { BlendMode = SKBlendMode.DstIn };
            mask.DrawOn(canvas, whole, Smooth, keepWhereOpaque);
            canvas.Restore();
        });
    }
}
