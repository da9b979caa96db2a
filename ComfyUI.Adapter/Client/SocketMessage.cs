using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Providers;

namespace ComfyUI.Adapter.Client;

/// <summary>
/// One websocket message from ComfyUI: a JSON text message <c>{"type", "data"}</c> (status, execution_start, executing,
/// progress, executed, execution_success, execution_error, execution_interrupted, …) or a binary frame, of which only
/// previews matter: a 4-byte big-endian event type (1 = PREVIEW_IMAGE: a 4-byte image type, 1 JPEG / 2 PNG, then the image;
/// 4 = PREVIEW_IMAGE_WITH_METADATA: a 4-byte metadata length, the metadata JSON, then the image).
/// </summary>
/// <param name="Type">The message type, <see cref="Preview"/> for a preview frame, or "binary:{event}" for other binary events.</param>
/// <param name="Data">The message's data (a preview's metadata, when it has any).</param>
/// <param name="Image">A preview's image bytes; empty otherwise.</param>
internal sealed record SocketMessage(string Type, JsonObject Data, ReadOnlyMemory<byte> Image = default)
{
    /// <summary>The type given to binary preview frames.</summary>
    public const string Preview = "preview";

    private const uint PreviewImage = 1;
    private const uint PreviewImageWithMetadata = 4;

    /// <summary>data.prompt_id, when the message names a prompt.</summary>
    public string? PromptId => Data["prompt_id"] is JsonValue id && id.TryGetValue<string>(out var text) ? text : null;

    /// <summary>An integer in data (progress value/max), or null.</summary>
    public int? Int(string name) => Data[name] is JsonValue value && value.TryGetValue<double>(out var number) ? (int)number : null;

    /// <summary>A string in data, or null (also for JSON null).</summary>
    public string? Text(string name) => Data[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static SocketMessage FromText(ReadOnlySpan<byte> utf8)
    {
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(utf8) as JsonObject;
        }
        catch (JsonException ex)
        {
            throw new ProviderException(ProviderFailureKind.MalformedResponse, $"ComfyUI sent a websocket message that is not JSON: {ex.Message}", innerException: ex);
        }
        if (root?["type"] is not JsonValue type || !type.TryGetValue<string>(out var name))
        {
            throw new ProviderException(ProviderFailureKind.MalformedResponse, "ComfyUI sent a websocket message without a \"type\".");
        }
        return new SocketMessage(name, root["data"] as JsonObject ?? []);
    }

    public static SocketMessage FromBinary(ReadOnlyMemory<byte> frame)
    {
        var span = frame.Span;
        if (span.Length < 8)
        {
            throw new ProviderException(ProviderFailureKind.MalformedResponse, $"ComfyUI sent a binary websocket frame of {span.Length} bytes, too short for its header.");
        }
        var kind = BinaryPrimitives.ReadUInt32BigEndian(span);
        switch (kind)
        {
            case PreviewImage:
                return new SocketMessage(Preview, [], frame[8..]);
            case PreviewImageWithMetadata:
                var length = BinaryPrimitives.ReadUInt32BigEndian(span[4..]);
                if (length > span.Length - 8)
                {
                    throw new ProviderException(ProviderFailureKind.MalformedResponse, $"ComfyUI sent a preview whose metadata length ({length}) exceeds the frame.");
                }
                var metadata = JsonNode.Parse(span.Slice(8, (int)length)) as JsonObject ?? [];
                return new SocketMessage(Preview, metadata, frame[(8 + (int)length)..]);
            default:
                return new SocketMessage($"binary:{kind}", []);
        }
    }
}
