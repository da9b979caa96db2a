using System.Text.Json.Nodes;
using Declarative.Adapter.Json;

namespace Declarative.Adapter.Chunks;

/// <summary>Where the request puts its root of a field path: the body template or the headers.</summary>
internal enum FieldRoot
{
    RequestBody,
    Headers,
}

/// <summary>
/// One entry of <c>input_mappings</c>: parameter <see cref="Parameter"/> is written at <see cref="Steps"/> under
/// <see cref="Root"/>, with <see cref="Default"/> when the request gives no value. allowed_values/min/max are the router's.
/// </summary>
internal sealed record InputMapping(string Parameter, string Field, FieldRoot Root, IReadOnlyList<JsonPathStep> Steps, JsonNode? Default)
{
    public static IReadOnlyList<InputMapping> ReadAll(JsonObject mappings, ChunkReader reader)
    {
        var result = new List<InputMapping>();
        foreach (var (parameter, node) in mappings)
        {
            var at = $"input_mappings.{parameter}";
            if (node is not JsonObject mapping)
            {
                reader.Problem($"{at} must be an object");
                continue;
            }
            var field = reader.String(mapping, "field", at, required: true);
            if (field is null)
            {
                continue;
            }
            var (root, rest) = field.StartsWith("request_body.", StringComparison.Ordinal) ? (FieldRoot.RequestBody, field["request_body.".Length..])
                : field.StartsWith("headers.", StringComparison.Ordinal) ? (FieldRoot.Headers, field["headers.".Length..])
                : ((FieldRoot?)null, "");
            if (root is null)
            {
                reader.Problem($"{at}.field '{field}' must start with 'request_body.' or 'headers.'");
                continue;
            }
            var path = JsonPath.TryParse(rest, out var error);
            if (path is null || path.Steps.Any(s => s.IsAll) || path.Steps[0].Name is null
                || (root == FieldRoot.Headers && path.Steps.Count != 1))
            {
                reader.Problem($"{at}.field '{field}' " + (error ?? (root == FieldRoot.Headers
                    ? "must name one header, e.g. headers.X-Seed" : "must start with a name and use [i], not [], for array elements")));
                continue;
            }
            result.Add(new InputMapping(parameter, field, root.Value, path.Steps, mapping["default"]?.DeepClone()));
        }
        return result;
    }
}
