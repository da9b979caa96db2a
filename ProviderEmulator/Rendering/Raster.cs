using System.Runtime.InteropServices;
using SkiaSharp;

namespace ProviderEmulator.Rendering;

/// <summary>
/// Premultiplied RGBA8888 pixels in managed memory. Caches and edit inputs hold these rather than Skia objects, so
/// nothing native outlives the call that draws, encodes or decodes.
/// </summary>
internal sealed class Raster
{
    public Raster(int width, int height)
    {
        Width = width;
        Height = height;
        Pixels = new byte[checked(width * height * 4)];
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Row-major, 4 bytes per pixel, premultiplied alpha.</summary>
    public byte[] Pixels { get; }

    public SKImageInfo Info => new(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul);

    /// <summary>A new raster of the given size, cleared to transparent, drawn by <paramref name="draw"/>.</summary>
    public static Raster Draw(int width, int height, Action<SKCanvas> draw)
    {
        var raster = new Raster(width, height);
        raster.Use(pixmap =>
        {
            using var surface = SKSurface.Create(pixmap) ?? throw new InvalidOperationException($"Skia cannot draw on a {width}x{height} raster");
            draw(surface.Canvas);
            surface.Flush();
            return true;
        });
        return raster;
    }

    /// <summary>Calls <paramref name="use"/> with a pixmap over the pinned pixels; the pixmap is valid only inside the call.</summary>
    public T Use<T>(Func<SKPixmap, T> use)
    {
        var handle = GCHandle.Alloc(Pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(Info, handle.AddrOfPinnedObject(), Width * 4);
            return use(pixmap);
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>Draws this raster into <paramref name="destination"/> on <paramref name="canvas"/>, scaled as needed.</summary>
    public void DrawOn(SKCanvas canvas, SKRect destination, SKSamplingOptions sampling, SKPaint? paint = null) => Use(pixmap =>
    {
        using var image = SKImage.FromPixels(pixmap);
        canvas.DrawImage(image, destination, sampling, paint);
        return true;
    });
}
