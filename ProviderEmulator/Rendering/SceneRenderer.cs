using System.Security.Cryptography;
using System.Text;
using Pipeline.Imaging;

namespace ProviderEmulator.Rendering;

/// <summary>
/// Draws a deterministic picture for a prompt: a two-colour gradient plus discs, rectangles and rings whose colours,
/// positions and sizes come from a hash of the prompt and seed. Different prompts give visibly different pictures.
/// </summary>
internal static class SceneRenderer
{
    public static RgbaImage Render(string prompt, int width, int height, long seed, bool transparent)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}\u0001{prompt}"));
        var random = new Random(BitConverter.ToInt32(hash, 0));
        var image = new RgbaImage(width, height);
        if (!transparent)
        {
            FillGradient(image, Colour(hash, 4), Colour(hash, 7), hash[10] / 255.0 * Math.PI * 2);
        }

        var shapes = 5 + (hash[11] % 6);
        for (var i = 0; i < shapes; i++)
        {
            var colour = Colour(hash, 12 + (i % 6) * 3);
            colour = new Rgba32((byte)(colour.R ^ (i * 37)), (byte)(colour.G ^ (i * 91)), colour.B, 255);
            var cx = random.NextDouble() * width;
            var cy = random.NextDouble() * height;
            var size = (0.08 + (random.NextDouble() * 0.25)) * Math.Min(width, height);
            switch (random.Next(3))
            {
                case 0:
                    FillDisc(image, cx, cy, size, 0, colour);
                    break;
                case 1:
                    FillRect(image, cx - size, cy - (size * 0.6), cx + size, cy + (size * 0.6), colour);
                    break;
                default:
                    FillDisc(image, cx, cy, size, size * 0.7, colour);
                    break;
            }
        }

        return image;
    }

    private static Rgba32 Colour(byte[] hash, int offset) => new(hash[offset % 32], hash[(offset + 1) % 32], hash[(offset + 2) % 32], 255);

    private static void FillGradient(RgbaImage image, Rgba32 from, Rgba32 to, double angle)
    {
        var (w, h) = (image.Width, image.Height);
        var dx = Math.Cos(angle);
        var dy = Math.Sin(angle);
        var span = (Math.Abs(dx) * w) + (Math.Abs(dy) * h);
        var origin = (dx < 0 ? -dx * w : 0) + (dy < 0 ? -dy * h : 0);
        var lut = new byte[1024 * 3];
        for (var i = 0; i < 1024; i++)
        {
            var t = i / 1023.0;
            lut[i * 3] = (byte)(from.R + ((to.R - from.R) * t));
            lut[(i * 3) + 1] = (byte)(from.G + ((to.G - from.G) * t));
            lut[(i * 3) + 2] = (byte)(from.B + ((to.B - from.B) * t));
        }

        var pixels = image.Pixels;
        var step = dx / span * 1023;
        for (var y = 0; y < h; y++)
        {
            var t = (origin + (dy * y)) / span * 1023;
            var row = y * w * 4;
            for (var x = 0; x < w; x++, t += step)
            {
                var i = Math.Clamp((int)t, 0, 1023) * 3;
                var p = row + (x * 4);
                pixels[p] = lut[i];
                pixels[p + 1] = lut[i + 1];
                pixels[p + 2] = lut[i + 2];
                pixels[p + 3] = 255;
            }
        }
    }

    private static void FillDisc(RgbaImage image, double cx, double cy, double outer, double inner, Rgba32 colour)
    {
        var y0 = Math.Max(0, (int)(cy - outer));
        var y1 = Math.Min(image.Height - 1, (int)(cy + outer));
        for (var y = y0; y <= y1; y++)
        {
            var dy = y - cy;
            var halfOuter = Math.Sqrt(Math.Max(0, (outer * outer) - (dy * dy)));
            var halfInner = inner * inner > dy * dy ? Math.Sqrt((inner * inner) - (dy * dy)) : -1;
            if (halfInner < 0)
            {
                Span(image, y, cx - halfOuter, cx + halfOuter, colour);
            }
            else
            {
                Span(image, y, cx - halfOuter, cx - halfInner, colour);
                Span(image, y, cx + halfInner, cx + halfOuter, colour);
            }
        }
    }

    private static void FillRect(RgbaImage image, double x0, double y0, double x1, double y1, Rgba32 colour)
    {
        for (var y = Math.Max(0, (int)y0); y <= Math.Min(image.Height - 1, (int)y1); y++)
        {
            Span(image, y, x0, x1, colour);
        }
    }

    private static void Span(RgbaImage image, int y, double fromX, double toX, Rgba32 colour)
    {
        var x0 = Math.Max(0, (int)Math.Ceiling(fromX));
        var x1 = Math.Min(image.Width - 1, (int)Math.Floor(toX));
        var pixels = image.Pixels;
        for (int x = x0, p = ((y * image.Width) + x0) * 4; x <= x1; x++, p += 4)
        {
            pixels[p] = colour.R;
            pixels[p + 1] = colour.G;
            pixels[p + 2] = colour.B;
            pixels[p + 3] = colour.A;
        }
    }
}
