using System.Buffers.Binary;
using System.IO.Hashing;
using Pipeline.Imaging;
using SkiaSharp;

namespace ProviderEmulator.Tests.Support;

/// <summary>Input images for edits (drawn with Skia) and checks on returned ones (decoded with Skia).</summary>
public static class TestImages
{
    public static byte[] SolidPng(int width, int height, SKColor colour) => Png(width, height, canvas => canvas.Clear(colour));

    /// <summary>An opaque picture with detail everywhere: a checkerboard of 16-pixel squares in two colours per quadrant.</summary>
    public static byte[] CheckerPng(int width, int height) => Png(width, height, canvas =>
    {
        using var paint = new SKPaint();
        for (var y = 0; y < height; y += 16)
        {
            for (var x = 0; x < width; x += 16)
            {
                var dark = ((x / 16) + (y / 16)) % 2 == 0;
                paint.Color = dark ? new SKColor(20, 40, (byte)(x * 255 / width)) : new SKColor(230, (byte)(y * 255 / height), 200);
                canvas.DrawRect(SKRect.Create(x, y, 16, 16), paint);
            }
        }
    });

    /// <summary>A mask whose left half is transparent (editable) and right half opaque (kept).</summary>
    public static byte[] LeftHalfMask(int width, int height) => Png(width, height, canvas =>
    {
        canvas.Clear(SKColors.Transparent);
        using var paint = new SKPaint { Color = SKColors.Black };
        canvas.DrawRect(SKRect.Create(width / 2, 0, width - (width / 2), height), paint);
    });

    /// <summary>
    /// A PNG signature and a valid IHDR (correct CRC) declaring <paramref name="width"/>x<paramref name="height"/>, then
    /// a tiny IDAT and IEND: a decompression bomb as far as any header reader can tell.
    /// </summary>
    public static byte[] PngDeclaring(int width, int height)
    {
        var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 6;
        WriteChunk(output, "IHDR"u8, ihdr);
        WriteChunk(output, "IDAT"u8, [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    /// <summary>Asserts the header (format, size) and that Skia decodes every pixel at that size.</summary>
    public static void AssertImage(byte[] bytes, ImageFormat format, int width, int height)
    {
        Assert.Equal(new ImageInfo(format, width, height), ImageInspector.Inspect(bytes));
        var decoded = Decode(bytes);
        Assert.Equal((width, height), (decoded.Width, decoded.Height));
    }

    /// <summary>Every pixel of <paramref name="bytes"/>, unpremultiplied RGBA; fails the test when Skia cannot decode all of it.</summary>
    public static DecodedImage Decode(byte[] bytes)
    {
        using var codec = SKCodec.Create(new MemoryStream(bytes));
        Assert.NotNull(codec);
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var pixels = new byte[info.BytesSize];
        Assert.Equal(SKCodecResult.Success, codec.GetPixels(info, pixels));
        return new DecodedImage(info.Width, info.Height, pixels);
    }

    /// <summary>Mean absolute per-channel difference of two equally sized images of any format.</summary>
    public static double MeanDifference(byte[] imageA, byte[] imageB)
    {
        var a = Decode(imageA).Rgba;
        var b = Decode(imageB).Rgba;
        Assert.Equal(a.Length, b.Length);
        long sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return (double)sum / a.Length;
    }

    private static byte[] Png(int width, int height, Action<SKCanvas> draw)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            draw(canvas);
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        output.Write(number);
        output.Write(type);
        output.Write(data);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, crc.GetCurrentHashAsUInt32());
        output.Write(number);
    }
}

/// <summary>A decoded image: unpremultiplied RGBA, row-major.</summary>
public sealed record DecodedImage(int Width, int Height, byte[] Rgba)
{
    public SKColor Pixel(int x, int y)
    {
        var p = ((y * Width) + x) * 4;
        return new SKColor(Rgba[p], Rgba[p + 1], Rgba[p + 2], Rgba[p + 3]);
    }

    /// <summary>The alpha values, one per pixel.</summary>
    public IEnumerable<byte> Alphas => Rgba.Where((_, i) => i % 4 == 3);
}
