using System.Text.Json;
using System.Text.Json.Nodes;

namespace Declarative.Adapter.Output;

/// <summary>Reads a successful reply: JSON into a node, or (an API answering <c>Accept: image/*</c>) the image bytes themselves.</summary>
internal static class ReplyReader
{
    /// <summary>Whether the reply is an image rather than JSON (Content-Type image/*).</summary>
    public static bool IsImage(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Whether the reply is a server-sent event stream.</summary>
    public static bool IsEventStream(HttpResponseMessage response) =>
        string.Equals(response.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);

    public static async Task<JsonNode?> ReadJsonAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        try
        {
            return await JsonNode.ParseAsync(body, cancellationToken: ct);
        }
        catch (JsonException ex)
        {
            throw ImageSources.Malformed($"{what} is not valid JSON ({ex.Message})");
        }
    }

    /// <summary>The image bytes of an image reply, refused beyond <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]> ReadImageAsync(HttpResponseMessage response, long maxBytes, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw ImageSources.Malformed($"the image reply is {response.Content.Headers.ContentLength} bytes, more than the cap of {maxBytes}");
        }
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        return bytes.Length <= maxBytes ? bytes
            : throw ImageSources.Malformed($"the image reply is {bytes.Length} bytes, more than the cap of {maxBytes}");
    }
}
