using System.Globalization;
using System.Text.Json.Nodes;
using Declarative.Adapter.Json;
using Pipeline.Contracts.Provider.V1;

namespace Declarative.Adapter.Templates;

/// <summary>
/// A parameter's value by the names input_mappings use, as adapter.proto's ChunkCall defines it: "prompt" is the prompt;
/// size, quality, output_format, background (when not empty) and n, partial_images, output_compression (when not 0) are the
/// typed fields; width and height come from a "WxH" size; everything else (and a typed field left unset) from request.extra.
/// </summary>
internal static class ParameterValues
{
    /// <summary>The value, or null when the request gives none.</summary>
    public static JsonNode? Find(ProviderRequest request, string name)
    {
        var typed = name switch
        {
            "prompt" => Text(request.Prompt),
            "size" => Text(request.Size),
            "quality" => Text(request.Quality),
            "output_format" => Text(request.OutputFormat),
            "background" => Text(request.Background),
            "n" => Number(request.N),
            "partial_images" => Number(request.PartialImages),
            "output_compression" => Number(request.OutputCompression),
            "width" => Side(request.Size, 0),
            "height" => Side(request.Size, 1),
            _ => null,
        };
        if (typed is not null)
        {
            return typed;
        }
        return request.Extra?.Fields.TryGetValue(name, out var value) == true ? StructJson.ToNode(value) : null;
    }

    private static JsonValue? Text(string value) => value.Length > 0 ? JsonValue.Create(value) : null;

    private static JsonValue? Number(int value) => value != 0 ? JsonValue.Create(value) : null;

    private static JsonValue? Side(string size, int part)
    {
        var parts = size.Split('x');
        return parts.Length == 2 && int.TryParse(parts[part], NumberStyles.None, CultureInfo.InvariantCulture, out var pixels) && pixels > 0
            ? JsonValue.Create(pixels)
            : null;
    }
}
