using System.Text;

namespace Pipeline.Reliability.Fuzz;

/// <summary>The shared vocabulary of bad input: edge numbers, odd strings, broken encodings, byte-level damage.</summary>
public static class Mutations
{
    /// <summary>Numbers at their edges, written as raw JSON tokens (some are not valid JSON numbers at all).</summary>
    public static readonly string[] EdgeNumbers =
    [
        "0", "-0", "-1", "1", "2", "10", "11", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
        "9223372036854775808", "18446744073709551616", "1e308", "1e309", "-1e309", "1.5", "0.0000001", "1E2", "4.9e-324",
        "NaN", "Infinity", "-Infinity", "0x10", "01", "1_000", "99999999999999999999999999999999999999",
    ];

    /// <summary>Odd string values (JSON-escaped, without quotes): empty, control characters, lone surrogates, path tricks.</summary>
    public static readonly string[] OddStrings =
    [
        "", " ", "\\u0000", "\\ud800", "\\udfff", "\\ud83d", "a\\u0000b", "../../etc/passwd", "%00", "%zz", "<script>alert(1)</script>",
        "' OR 1=1 --", "${jndi:ldap://x}", "\\r\\n\\r\\nx-injected: 1", "\\u202e", "😀😀", "\\u00e9", "auto", "1024x1024",
        "0x0", "99999x99999", "-1x-1", "1024X1024", "1024x", "x1024", "png\\u0000", "null", "true", "[]", "{}",
    ];

    /// <summary>Raw byte sequences that are not valid UTF-8 (overlong, lone continuation, encoded surrogates, truncated).</summary>
    public static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xC0, 0xAF], [0x80], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
        [0xFE, 0xFF], [0xC3],
    ];

    public static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>A random value of an arbitrary JSON type, as a raw token (odd strings may hold lone surrogate escapes).</summary>
    public static string RandomToken(Random random, int depth = 0) => random.Next(depth > 2 ? 5 : 7) switch
    {
        0 => "null",
        1 => random.Next(2) == 0 ? "true" : "false",
        2 => Pick(random, EdgeNumbers.Where(IsJsonNumber).ToArray()),
        3 => $"\"{Pick(random, OddStrings)}\"",
        4 => $"\"{new string((char)random.Next('a', 'z' + 1), random.Next(0, 64))}\"",
        5 => "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => RandomToken(random, depth + 1))) + "]",
        _ => "{" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(i => $"\"k{i}\":{RandomToken(random, depth + 1)}")) + "}",
    };

    /// <summary>Byte-level damage to an encoded body: truncate, flip, insert invalid UTF-8 or junk, duplicate a slice.</summary>
    public static byte[] Damage(Random random, byte[] body)
    {
        var bytes = body.ToList();
        switch (random.Next(6))
        {
            case 0:
                return [.. bytes.Take(random.Next(bytes.Count + 1))];
            case 1:
                for (var i = 0; i < 1 + random.Next(8) && bytes.Count > 0; i++)
                {
                    bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8));
                }
                return [.. bytes];
            case 2:
                bytes.InsertRange(random.Next(bytes.Count + 1), Pick(random, InvalidUtf8));
                return [.. bytes];
            case 3:
                bytes.InsertRange(random.Next(bytes.Count + 1), Encoding.UTF8.GetBytes(Pick(random, new[] { "{", "}", "]", ",", "\"", ":", "\\", "/*", "\0", "\uFEFF" })));
                return [.. bytes];
            case 4:
                var start = random.Next(bytes.Count + 1);
                var length = random.Next(bytes.Count - start + 1);
                bytes.InsertRange(start, bytes.GetRange(start, length));
                return [.. bytes];
            default:
                return [.. Encoding.UTF8.GetPreamble(), .. bytes];
        }
    }

    /// <summary>A JSON string token holding <paramref name="length"/> characters (a huge value inside a bounded body).</summary>
    public static string HugeString(Random random, int length) => "\"" + new string(Pick(random, new[] { 'a', 'é', '界', ' ' }), length) + "\"";

    private static bool IsJsonNumber(string token) => double.TryParse(token, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v)
        && !double.IsInfinity(v) && token != "NaN" && !token.StartsWith("0x", StringComparison.Ordinal) && !token.Contains('_') && !(token.Length > 1 && token[0] == '0' && token[1] != '.');
}
