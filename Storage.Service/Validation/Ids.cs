using System.Buffers;

namespace Storage.Service.Validation;

/// <summary>
/// Run and image ids: [A-Za-z0-9_-] only, so an id can never name another place on disk ("../", "/etc",
/// "%2e%2e", "\\" and every other form are rejected before any path is built).
/// </summary>
public static class Ids
{
    /// <summary>Longest run id.</summary>
    public const int MaxRunIdLength = 64;

    /// <summary>Longest image id.</summary>
    public const int MaxImageIdLength = 80;

    private static readonly SearchValues<char> s_allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    /// <summary>Null when <paramref name="value"/> is a valid run id, else the reason.</summary>
    public static string? CheckRunId(string? value) => Check(value, MaxRunIdLength, "run id");

    /// <summary>Null when <paramref name="value"/> is a valid image id, else the reason.</summary>
    public static string? CheckImageId(string? value) => Check(value, MaxImageIdLength, "image id");

    /// <summary>Throws INVALID_ARGUMENT for <paramref name="field"/> unless <paramref name="value"/> is a valid run id.</summary>
    public static string RequireRunId(string? value, string field)
    {
        if (CheckRunId(value) is { } error)
        {
            StorageException.ThrowInvalid(field, error);
        }
        return value!;
    }

    /// <summary>Throws INVALID_ARGUMENT for <paramref name="field"/> unless <paramref name="value"/> is a valid image id.</summary>
    public static string RequireImageId(string? value, string field)
    {
        if (CheckImageId(value) is { } error)
        {
            StorageException.ThrowInvalid(field, error);
        }
        return value!;
    }

    /// <summary>True for a lower-case hex SHA-256 (64 chars), the only form a blob name takes.</summary>
    public static bool IsSha256Hex(ReadOnlySpan<char> value)
    {
        if (value.Length != 64)
        {
            return false;
        }
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    private static string? Check(string? value, int maxLength, string what)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"{what} is empty; use 1-{maxLength} characters from [A-Za-z0-9_-]";
        }
        if (value.Length > maxLength)
        {
            return $"{what} is {value.Length} characters long; at most {maxLength} from [A-Za-z0-9_-]";
        }
        var bad = value.AsSpan().IndexOfAnyExcept(s_allowed);
        if (bad >= 0)
        {
            return $"{what} '{Printable(value)}' has the character '{Printable(value[bad].ToString())}' at position {bad}; only [A-Za-z0-9_-] is allowed (no paths, dots, slashes or percent-encoding)";
        }
        return null;
    }

    private static string Printable(string value)
    {
        var text = value.Length > 100 ? value[..100] + "…" : value;
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }
}
