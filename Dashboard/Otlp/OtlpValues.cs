using Google.Protobuf;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;

namespace Dashboard.Otlp;

/// <summary>OTLP values as plain .NET values (what the JSON API serializes), ids as lower-case hex.</summary>
internal static class OtlpValues
{
    private const int MaxDepth = 16;

    /// <summary>Attributes as an ordered map; a repeated key keeps its last value.</summary>
    public static IReadOnlyDictionary<string, object?> Attributes(RepeatedField<KeyValue> attributes, int depth = 0)
    {
        var map = new Dictionary<string, object?>(attributes.Count, StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            map[attribute.Key] = Value(attribute.Value, depth);
        }
        return map;
    }

    /// <summary>string, bool, long, double, a list, a map, or base64 text for bytes; null for an empty value.</summary>
    public static object? Value(AnyValue? value, int depth = 0)
    {
        if (value is null || depth > MaxDepth)
        {
            return null;
        }
        return value.ValueCase switch
        {
            AnyValue.ValueOneofCase.StringValue => value.StringValue,
            AnyValue.ValueOneofCase.BoolValue => value.BoolValue,
            AnyValue.ValueOneofCase.IntValue => value.IntValue,
            AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue,
            AnyValue.ValueOneofCase.ArrayValue => value.ArrayValue.Values.Select(v => Value(v, depth + 1)).ToList(),
            AnyValue.ValueOneofCase.KvlistValue => Attributes(value.KvlistValue.Values, depth + 1),
            AnyValue.ValueOneofCase.BytesValue => value.BytesValue.ToBase64(),
            _ => null,
        };
    }

    /// <summary>The value as display text (a log body): strings as they are, anything else as JSON.</summary>
    public static string Text(AnyValue? value) => Value(value) switch
    {
        null => "",
        string text => text,
        var other => System.Text.Json.JsonSerializer.Serialize(other),
    };

    /// <summary>The string attribute <paramref name="key"/>, or null.</summary>
    public static string? String(RepeatedField<KeyValue> attributes, string key) =>
        attributes.LastOrDefault(a => a.Key == key)?.Value is { ValueCase: AnyValue.ValueOneofCase.StringValue } v ? v.StringValue : null;

    /// <summary>Lower-case hex of an id of exactly <paramref name="length"/> bytes, not all zero; null otherwise.</summary>
    public static string? Id(ByteString bytes, int length)
    {
        var span = bytes.Span;
        return span.Length == length && span.ContainsAnyExcept((byte)0) ? Convert.ToHexStringLower(span) : null;
    }

    /// <summary>Unix epoch nanoseconds as a UTC time (100 ns precision).</summary>
    public static DateTime Time(ulong unixNano) => DateTime.UnixEpoch.AddTicks((long)(unixNano / 100));
}
