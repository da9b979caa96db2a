using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Pipeline.Imaging;
using SkiaSharp;

namespace Pipeline.Tests.Images;

/// <summary>
/// Real, deterministic images for every test project, encoded by SkiaSharp (tests/Shared/Images, compiled into each project
/// that sets UsesTestImages): patterns of a size fixed by a seed in PNG, JPEG or WebP, solid colours, masks, noise, and the
/// damaged files the verification tests need (truncated, without EOI, declaring 60,000×60,000).
/// </summary>
internal static class TestImages
{
    /// <summary>A PNG of <paramref name="width"/>×<paramref name="height"/> with a pattern fixed by <paramref name="seed"/>.</summary>
    public static byte[] Png(int width = 8, int height = 6, int seed = 1) => Encode(ImageFormat.Png, width, height, seed);

    /// <summary>A JPEG (quality 90) of <paramref name="width"/>×<paramref name="height"/> with a pattern fixed by <paramref name="seed"/>.</summary>
    public static byte[] Jpeg(int width = 16, int height = 16, int seed = 1) => Encode(ImageFormat.Jpeg, width, height, seed);

    /// <summary>A lossy WebP (quality 90) of <paramref name="width"/>×<paramref name="height"/> with a pattern fixed by <paramref name="seed"/>.</summary>
    public static byte[] WebP(int width = 8, int height = 6, int seed = 1) => Encode(ImageFormat.WebP, width, height, seed);

    /// <summary>An image in <paramref name="outputFormat"/> ("png", "jpeg" or "webp"; empty = png) with a pattern fixed by <paramref name="seed"/>.</summary>
    public static byte[] Encode(string outputFormat, int seed, int width = 16, int height = 12) =>
        Encode(ImageFormats.TryParse(outputFormat, out var format) ? format : ImageFormat.Png, width, height, seed);

    /// <summary>An opaque pattern (gradients fixed by <paramref name="seed"/>) in <paramref name="format"/>.</summary>
    public static byte[] Encode(ImageFormat format, int width, int height, int seed = 1) =>
        Encode(Draw(width, height, opaque: true, (x, y) =>
            new SKColor((byte)(x * 31 + seed * 11), (byte)(y * 17 + seed * 7), (byte)(seed * 53 + ((x + y) & 0x10)))), format);

    /// <summary>A PNG: a diagonal gradient from <paramref name="color"/>, sharper with <paramref name="detail"/> (0-1).</summary>
    public static byte[] Png(int width, int height, SKColor color, double detail = 1) =>
        Encode(Draw(width, height, opaque: true, (x, y) =>
        {
            var shade = detail * (x + y) / (width + height);
            return new SKColor(Mix(color.Red, shade), Mix(color.Green, shade), Mix(color.Blue, shade));
        }), ImageFormat.Png);

    /// <summary>A PNG of one colour (its alpha kept).</summary>
    public static byte[] SolidPng(int width, int height, SKColor color) =>
        Encode(Draw(width, height, opaque: color.Alpha == 255, (_, _) => color), ImageFormat.Png);

    /// <summary>A mask whose left half is transparent (editable) and right half opaque black (kept).</summary>
    public static byte[] LeftHalfMask(int width, int height) =>
        Encode(Draw(width, height, opaque: false, (x, _) => x < width / 2 ? SKColors.Transparent : SKColors.Black), ImageFormat.Png);

    /// <summary>A PNG of opaque random pixels (fixed by <paramref name="seed"/>): it hardly compresses, about 3 bytes a pixel.</summary>
    public static byte[] NoisePng(int width, int height, int seed)
    {
        var random = new Random(seed);
        return Encode(Draw(width, height, opaque: true, (_, _) => new SKColor((uint)random.Next() | 0xFF000000)), ImageFormat.Png);
    }

    /// <summary>A 2×2 grid in <paramref name="format"/> whose quadrants are solid red, green, blue and white (top left, top right, bottom left, bottom right).</summary>
    public static byte[] Quadrants(int width, int height, ImageFormat format = ImageFormat.Png) =>
        Encode(Draw(width, height, opaque: true, (x, y) => (x < width / 2, y < height / 2) switch
        {
            (true, true) => SKColors.Red,
            (false, true) => new SKColor(0, 255, 0),
            (true, false) => SKColors.Blue,
            _ => SKColors.White,
        }), format);

    /// <summary>A PNG cut in the middle of its image data: no IEND.</summary>
    public static byte[] TruncatedPng() => NoisePng(32, 32, seed: 16)[..1500];

    /// <summary>A JPEG whose last two bytes (the EOI marker) are gone.</summary>
    public static byte[] JpegWithoutEoi() => Jpeg(32, 32, seed: 16)[..^2];

    /// <summary>A small, well-formed PNG whose IHDR declares <paramref name="width"/>×<paramref name="height"/> (CRC fixed up): a decompression bomb by its header.</summary>
    public static byte[] PngDeclaring(int width, int height)
    {
        var png = Png(8, 6);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32.HashToUInt32(png.AsSpan(12, 17)));
        return png;
    }

    /// <summary>A copy of <paramref name="png"/> with a chunk of <paramref name="type"/> (e.g. a private ancillary "emUl" as padding) inserted before IEND, its CRC correct.</summary>
    public static byte[] WithChunk(byte[] png, string type, ReadOnlySpan<byte> data)
    {
        Assert.True(type.Length == 4 && png.AsSpan(png.Length - 8, 4).SequenceEqual("IEND"u8), "a PNG ending in IEND and a four-letter chunk type");
        var output = new byte[png.Length + 12 + data.Length];
        var at = png.Length - 12;
        png.AsSpan(0, at).CopyTo(output);
        BinaryPrimitives.WriteInt32BigEndian(output.AsSpan(at), data.Length);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(output, at + 4);
        data.CopyTo(output.AsSpan(at + 8));
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(at + 8 + data.Length), Crc32.HashToUInt32(output.AsSpan(at + 4, 4 + data.Length)));
        png.AsSpan(at).CopyTo(output.AsSpan(at + 12 + data.Length));
        return output;
    }

    /// <summary>Decodes with SkiaSharp (fails the test when it cannot); the caller disposes the bitmap.</summary>
    public static SKBitmap Decode(ReadOnlySpan<byte> data) =>
        SKBitmap.Decode(data) ?? throw new Xunit.Sdk.XunitException($"SkiaSharp cannot decode these {data.Length} bytes");

    /// <summary>The bytes are a complete image (ImageVerifier) of <paramref name="format"/> and size, and SkiaSharp decodes them to that size.</summary>
    public static void AssertImage(ReadOnlySpan<byte> data, ImageFormat format, int width, int height)
    {
        Assert.Equal(new ImageInfo(format, width, height), ImageVerifier.Verify(data));
        using var bitmap = Decode(data);
        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
    }

    /// <summary>As <see cref="AssertImage"/> for a PNG.</summary>
    public static void AssertPng(ReadOnlySpan<byte> data, int width, int height) => AssertImage(data, ImageFormat.Png, width, height);

    private static SKBitmap Draw(int width, int height, bool opaque, Func<int, int, SKColor> pixel)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, opaque ? SKAlphaType.Opaque : SKAlphaType.Unpremul));
        var row = new byte[bitmap.RowBytes];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var color = pixel(x, y);
                row[x * 4] = color.Red;
                row[(x * 4) + 1] = color.Green;
                row[(x * 4) + 2] = color.Blue;
                row[(x * 4) + 3] = opaque ? (byte)255 : color.Alpha;
            }
            Marshal.Copy(row, 0, bitmap.GetPixels() + (y * bitmap.RowBytes), row.Length);
        }
        return bitmap;
    }

    private static byte[] Encode(SKBitmap bitmap, ImageFormat format)
    {
        using (bitmap)
        {
            using var data = format switch
            {
                ImageFormat.Jpeg => bitmap.Encode(SKEncodedImageFormat.Jpeg, 90),
                ImageFormat.WebP => bitmap.Encode(SKEncodedImageFormat.Webp, 90),
                _ => bitmap.Encode(SKEncodedImageFormat.Png, 100),
            };
            return data.ToArray();
        }
    }

    private static byte Mix(byte channel, double shade) => (byte)Math.Clamp((channel * (1 - shade)) + (255 * shade * 0.5), 0, 255);
}
