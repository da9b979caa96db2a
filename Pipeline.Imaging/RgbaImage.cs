namespace Pipeline.Imaging;

/// <summary>An in-memory image: <see cref="Width"/> × <see cref="Height"/> pixels, RGBA8, rows top to bottom.</summary>
public sealed class RgbaImage
{
    /// <summary>Creates a fully transparent black image.</summary>
    public RgbaImage(int width, int height)
    {
        ValidateSize(width, height);
        Width = width;
        Height = height;
        Pixels = new byte[checked(width * height * 4)];
    }

    /// <summary>Wraps <paramref name="pixels"/> (RGBA8, row-major, length width × height × 4) without copying.</summary>
    public RgbaImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ValidateSize(width, height);
        if (pixels.Length != (long)width * height * 4)
        {
            throw new ArgumentException(
                $"pixel buffer has {pixels.Length} bytes; a {width}x{height} RGBA image needs {(long)width * height * 4}",
                nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>RGBA8 samples, row-major, 4 × Width bytes per row.</summary>
    public byte[] Pixels { get; }

    /// <summary>True when every pixel has alpha 255.</summary>
    public bool IsOpaque
    {
        get
        {
            var pixels = Pixels;
            for (var i = 3; i < pixels.Length; i += 4)
            {
                if (pixels[i] != 255)
                {
                    return false;
                }
            }

            return true;
        }
    }

    public Rgba32 GetPixel(int x, int y)
    {
        var i = Offset(x, y);
        return new Rgba32(Pixels[i], Pixels[i + 1], Pixels[i + 2], Pixels[i + 3]);
    }

    public void SetPixel(int x, int y, Rgba32 color)
    {
        var i = Offset(x, y);
        Pixels[i] = color.R;
        Pixels[i + 1] = color.G;
        Pixels[i + 2] = color.B;
        Pixels[i + 3] = color.A;
    }

    /// <summary>Copies the rectangle at (<paramref name="x"/>, <paramref name="y"/>) into a new image.</summary>
    public RgbaImage Crop(int x, int y, int width, int height)
    {
        if (x < 0 || y < 0 || width <= 0 || height <= 0 || x + width > Width || y + height > Height)
        {
            throw new ArgumentOutOfRangeException(
                nameof(width), $"crop {width}x{height} at ({x},{y}) does not fit inside a {Width}x{Height} image");
        }

        var result = new RgbaImage(width, height);
        var rowBytes = width * 4;
        for (var row = 0; row < height; row++)
        {
            Buffer.BlockCopy(Pixels, Offset(x, y + row), result.Pixels, row * rowBytes, rowBytes);
        }

        return result;
    }

    /// <summary>A deep copy.</summary>
    public RgbaImage Clone() => new(Width, Height, (byte[])Pixels.Clone());

    private int Offset(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"pixel ({x},{y}) is outside a {Width}x{Height} image");
        }

        return ((y * Width) + x) * 4;
    }

    private static void ValidateSize(int width, int height)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"image size {width}x{height} must be positive");
        }

        if ((long)width * height > 1L << 28)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"image size {width}x{height} exceeds 2^28 pixels");
        }
    }
}
