using System.Security.Cryptography;
using System.Text;
using SkiaSharp;

namespace ProviderEmulator.Rendering;

/// <summary>
/// Draws a deterministic picture for a prompt: a two-colour gradient plus discs, rectangles and rings whose colours,
/// positions and sizes come from a hash of the prompt and seed. Different prompts give visibly different pictures.
/// </summary>
internal static class SceneRenderer
{
    public static Raster Render(string prompt, int width, int height, long seed, bool transparent)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}\u0001{prompt}"));
        var random = new Random(BitConverter.ToInt32(hash, 0));
        return Raster.Draw(width, height, canvas =>
        {
            if (!transparent)
            {
                FillGradient(canvas, width, height, Colour(hash, 4), Colour(hash, 7), hash[10] / 255.0 * Math.PI * 2);
            }

            using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
            using var ring = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke };
            var shapes = 5 + (hash[11] % 6);
            for (var i = 0; i < shapes; i++)
            {
                var colour = Colour(hash, 12 + (i % 6) * 3);
                colour = new SKColor((byte)(colour.Red ^ (i * 37)), (byte)(colour.Green ^ (i * 91)), colour.Blue, 255);
                var cx = (float)(random.NextDouble() * width);
                var cy = (float)(random.NextDouble() * height);
                var size = (float)((0.08 + (random.NextDouble() * 0.25)) * Math.Min(width, height));
                switch (random.Next(3))
                {
                    case 0:
                        fill.Color = colour;
                        canvas.DrawCircle(cx, cy, size, fill);
                        break;
                    case 1:
                        fill.Color = colour;
                        canvas.DrawRect(SKRect.Create(cx - size, cy - (size * 0.6f), size * 2, size * 1.2f), fill);
                        break;
                    default:
                        // A ring from 0.7 to 1.0 of the size: a stroke of 0.3 centred on 0.85.
                        ring.Color = colour;
                        ring.StrokeWidth = size * 0.3f;
                        canvas.DrawCircle(cx, cy, size * 0.85f, ring);
                        break;
                }
            }
        });
    }

    private static SKColor Colour(byte[] hash, int offset) => new(hash[offset % 32], hash[(offset + 1) % 32], hash[(offset + 2) % 32], 255);

    private static void FillGradient(SKCanvas canvas, int width, int height, SKColor from, SKColor to, double angle)
    {
        var (dx, dy) = ((float)Math.Cos(angle), (float)Math.Sin(angle));
        var half = ((Math.Abs(dx) * width) + (Math.Abs(dy) * height)) / 2;
        var centre = new SKPoint(width / 2f, height / 2f);
        var along = new SKPoint(dx * half, dy * half);
        using var shader = SKShader.CreateLinearGradient(centre - along, centre + along, [from, to], SKShaderTileMode.Clamp);
        using var paint = new SKPaint { Shader = shader };
        canvas.DrawRect(SKRect.Create(width, height), paint);
    }
}
