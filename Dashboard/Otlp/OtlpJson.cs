using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Dashboard.Otlp;

/// <summary>
/// OTLP/JSON: protobuf's JSON mapping except that trace and span ids are hex (not base64) and unknown fields must be
/// ignored. Before Google.Protobuf's parser sees the body, ids are rewritten to base64 and integers too large for a
/// double (nanosecond times sent as numbers rather than strings) to strings, which it parses exactly.
/// </summary>
internal static class OtlpJson
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private static readonly HashSet<string> IdFields = new(StringComparer.Ordinal)
    {
        "traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id",
    };

    /// <summary>Parses <paramref name="utf8"/>; throws <see cref="InvalidProtocolBufferException"/> or <see cref="System.Text.Json.JsonException"/> on bad input.</summary>
    public static T Parse<T>(ReadOnlySpan<byte> utf8) where T : IMessage<T>, new()
    {
        var root = JsonNode.Parse(utf8) ?? throw new System.Text.Json.JsonException("The request body is JSON null.");
        Normalize(root, 0);
        return Parser.Parse<T>(root.ToJsonString());
    }

    /// <summary>The message as OTLP/JSON (its responses carry no ids, so protobuf's JSON mapping is exact).</summary>
    public static string Format(IMessage message) => JsonFormatter.Default.Format(message);

    private static void Normalize(JsonNode node, int depth)
    {
        if (depth > 64)
        {
            throw new System.Text.Json.JsonException("The request body is nested too deeply.");
        }
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (IdFields.Contains(name) && value is JsonValue id && id.TryGetValue<string>(out var hex) && IsHex(hex))
                    {
                        obj[name] = Convert.ToBase64String(Convert.FromHexString(hex));
                    }
                    else if (LargeInteger(value) is { } exact)
                    {
                        obj[name] = exact;
                    }
                    else if (value is not null)
                    {
                        Normalize(value, depth + 1);
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (LargeInteger(array[i]) is { } exact)
                    {
                        array[i] = exact;
                    }
                    else if (array[i] is { } item)
                    {
                        Normalize(item, depth + 1);
                    }
                }
                break;
        }
    }

    /// <summary>An integer beyond 2^53 as a string (Google.Protobuf reads JSON numbers through a double); null otherwise.</summary>
    private static string? LargeInteger(JsonNode? node)
    {
        const long exactDoubleLimit = 1L << 53;
        if (node is not JsonValue value || value.GetValueKind() != System.Text.Json.JsonValueKind.Number)
        {
            return null;
        }
        if (value.TryGetValue<long>(out var signed))
        {
            return signed is > exactDoubleLimit or < -exactDoubleLimit ? signed.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        }
        return value.TryGetValue<ulong>(out var unsigned) ? unsigned.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private static bool IsHex(string text) => text.Length % 2 == 0 && text.All(char.IsAsciiHexDigit);
}
