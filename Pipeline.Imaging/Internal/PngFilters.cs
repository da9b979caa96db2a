namespace Pipeline.Imaging.Internal;

/// <summary>The five PNG row filters, forward and inverse.</summary>
internal static class PngFilters
{
    public static void Apply(int type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bpp, Span<byte> output)
    {
        switch (type)
        {
            case 0:
                row.CopyTo(output);
                break;
            case 1:
                for (var i = 0; i < row.Length; i++)
                {
                    output[i] = (byte)(row[i] - (i >= bpp ? row[i - bpp] : 0));
                }

                break;
            case 2:
                for (var i = 0; i < row.Length; i++)
                {
                    output[i] = (byte)(row[i] - prior[i]);
                }

                break;
            case 3:
                for (var i = 0; i < row.Length; i++)
                {
                    var left = i >= bpp ? row[i - bpp] : 0;
                    output[i] = (byte)(row[i] - ((left + prior[i]) >> 1));
                }

                break;
            case 4:
                for (var i = 0; i < row.Length; i++)
                {
                    var left = i >= bpp ? row[i - bpp] : 0;
                    var upLeft = i >= bpp ? prior[i - bpp] : 0;
                    output[i] = (byte)(row[i] - Paeth(left, prior[i], upLeft));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "PNG filter types are 0-4");
        }
    }

    /// <summary>Undoes filter <paramref name="type"/> in place; returns false for an unknown type.</summary>
    public static bool Reverse(int type, Span<byte> row, ReadOnlySpan<byte> prior, int bpp)
    {
        switch (type)
        {
            case 0:
                return true;
            case 1:
                for (var i = bpp; i < row.Length; i++)
                {
                    row[i] += row[i - bpp];
                }

                return true;
            case 2:
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] += prior[i];
                }

                return true;
            case 3:
                for (var i = 0; i < row.Length; i++)
                {
                    var left = i >= bpp ? row[i - bpp] : 0;
                    row[i] += (byte)((left + prior[i]) >> 1);
                }

                return true;
            case 4:
                for (var i = 0; i < row.Length; i++)
                {
                    var left = i >= bpp ? row[i - bpp] : 0;
                    var upLeft = i >= bpp ? prior[i - bpp] : 0;
                    row[i] += (byte)Paeth(left, prior[i], upLeft);
                }

                return true;
            default:
                return false;
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc)
        {
            return a;
        }

        return pb <= pc ? b : c;
    }
}
