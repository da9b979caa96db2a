using System.Text.Json.Nodes;
using Declarative.Adapter.Json;

namespace Declarative.Adapter.Chunks;

/// <summary>
/// A streaming API (<c>api_config.streaming</c>): the reply is text/event-stream; each event's JSON names its type at
/// <see cref="EventTypePath"/> (else the SSE event name counts).
/// </summary>
/// <param name="EventTypePath">Default <c>type</c>.</param>
/// <param name="PartialEvent">The type of a partial image event, e.g. <c>image_generation.partial_image</c>. Optional.</param>
/// <param name="FinalEvent">The type of a finished image event, e.g. <c>image_generation.completed</c>. Required.</param>
/// <param name="ImagePath">Where an event's image is (base64, data URI or URL). Default <c>b64_json</c>.</param>
/// <param name="IndexPath">Where a partial event's partial index is, e.g. <c>partial_image_index</c>. Optional (counted).</param>
/// <param name="ErrorEvent">The type of an error event. Default <c>error</c>.</param>
/// <param name="ErrorMessagePath">Where an error event's message is. Default <c>error.message</c>.</param>
internal sealed record StreamingEvents(
    JsonPath EventTypePath, string? PartialEvent, string FinalEvent, JsonPath ImagePath, JsonPath? IndexPath, string ErrorEvent, JsonPath ErrorMessagePath)
{
    public static StreamingEvents? Read(JsonObject config, ChunkReader reader)
    {
        var streaming = reader.Object(config, "streaming", "api_config");
        if (streaming is null)
        {
            return null;
        }
        const string at = "api_config.streaming";
        var type = reader.Path(streaming, "event_type_path", at) ?? JsonPath.TryParse("type", out _)!;
        var partial = reader.String(streaming, "partial_event", at);
        var final = reader.String(streaming, "final_event", at, required: true);
        var image = reader.Path(streaming, "image_path", at) ?? JsonPath.TryParse("b64_json", out _)!;
        var index = reader.Path(streaming, "index_path", at);
        var error = reader.String(streaming, "error_event", at) ?? "error";
        var message = reader.Path(streaming, "error_message_path", at) ?? JsonPath.TryParse("error.message", out _)!;
        return final is null ? null : new StreamingEvents(type, partial, final, image, index, error, message);
    }
}
