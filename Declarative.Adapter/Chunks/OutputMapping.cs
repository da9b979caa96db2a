using System.Text.Json.Nodes;
using Declarative.Adapter.Json;

namespace Declarative.Adapter.Chunks;

/// <summary>How images are read from the provider's reply (the chunk's <c>output_mapping</c>).</summary>
internal enum OutputType
{
    /// <summary><c>images_api_base64</c>: every <c>data[].b64_json</c> (or <c>data[].url</c>), in order.</summary>
    ImagesApiBase64,

    /// <summary><c>chat_completion_with_image</c>: <c>choices[0].message.images[]</c> and <c>image_url</c> content parts.</summary>
    ChatCompletionWithImage,

    /// <summary><c>json_path</c>: the value(s) at <c>extract_path</c>, each base64, a data URI or a URL.</summary>
    JsonPath,
}

/// <param name="Type">The reply's shape.</param>
/// <param name="ExtractPath">For <see cref="OutputType.JsonPath"/>: where the images are (required).</param>
internal sealed record OutputMapping(OutputType Type, JsonPath? ExtractPath)
{
    public static readonly IReadOnlyDictionary<string, OutputType> Types = new Dictionary<string, OutputType>(StringComparer.Ordinal)
    {
        ["images_api_base64"] = OutputType.ImagesApiBase64,
        ["chat_completion_with_image"] = OutputType.ChatCompletionWithImage,
        ["json_path"] = OutputType.JsonPath,
    };

    public static OutputMapping Read(JsonObject mapping, ChunkReader reader)
    {
        var typeName = reader.String(mapping, "type", "output_mapping", required: true);
        var type = OutputType.JsonPath;
        if (typeName is not null && !Types.TryGetValue(typeName, out type))
        {
            reader.Problem($"output_mapping.type '{typeName}' is unknown; allowed: {string.Join(", ", Types.Keys)}");
        }
        // images_api_base64 and chat_completion_with_image know where images are; their extract_path is documentation only.
        var path = type == OutputType.JsonPath ? reader.Path(mapping, "extract_path", "output_mapping", required: true) : null;
        return new OutputMapping(type, path);
    }
}
