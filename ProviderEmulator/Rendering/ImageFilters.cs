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
        return Raster.Draw(final.Width, final.Height, canvas =>
        {
            var whole = SKRect.Create(final.Width, final.Height);
            small.DrawOn(canvas, whole, new SKSamplingOptions(SKFilterMode.Linear));
            // SrcATop keeps each pixel's alpha: transparent areas stay transparent under the veil.
            using var grey = new SKPaint { Color = new SKColor(128, 128, 128, (byte)Math.Round(veil * 255)), BlendMode = SKBlendMode.SrcATop };
            canvas.DrawRect(whole, grey);
        });
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
