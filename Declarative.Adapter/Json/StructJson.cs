using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;

namespace Declarative.Adapter.Json;

/// <summary>
/// protobuf Struct/Value → System.Text.Json nodes. Struct numbers are doubles; an integral one becomes an integer node
/// (25.0 → 25), so a template's and a parameter's numbers reach the provider as they were written.
/// </summary>
internal static class StructJson
{
    public static JsonObject ToObject(Struct? value)
    {
        var result = new JsonObject();
        foreach (var (key, field) in value?.Fields ?? [])
        {
            result[key] = ToNode(field);
        }
        return result;
    }

    public static JsonNode? ToNode(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.StringValue => JsonValue.Create(value.StringValue),
        Value.KindOneofCase.BoolValue => JsonValue.Create(value.BoolValue),
        Value.KindOneofCase.NumberValue => Number(value.NumberValue),
        Value.KindOneofCase.StructValue => ToObject(value.StructValue),
        Value.KindOneofCase.ListValue => new JsonArray([.. value.ListValue.Values.Select(ToNode)]),
        _ => null,
    };

    private static JsonValue Number(double number) =>
        Math.Abs(number) < 9.007199254740992E15 && number == Math.Floor(number) ? JsonValue.Create((long)number) : JsonValue.Create(number);
}
