using System.ClientModel;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OpenAI.Adapter.Sdk;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers;

namespace OpenAI.Adapter.Images;

/// <summary>
/// A streamed Images reply as frames, as each event arrives: <c>{prefix}.partial_image</c> → a partial,
/// <c>{prefix}.completed</c> → a final (prefix image_generation or image_edit), <c>error</c> → the provider's failure.
/// With n &gt; 1 every image sends its partials and then its completed event, so the image index is the number of
/// completed events before it.
/// </summary>
internal static class ImageEventStream
{
    public static async IAsyncEnumerable<ProviderFrame> ReadAsync(AsyncStreamingResult<SseItem<BinaryData>> events, string prefix, ProviderRequest request,
        ProviderCallContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var requestId = OpenAIFailures.RequestId(events.Headers);
        var partialType = $"{prefix}.partial_image";
        var completedType = $"{prefix}.completed";
        var expected = request.ImageCount();
        var completed = 0;
        await foreach (var item in events.WithCancellation(cancellationToken))
        {
            using var document = Parse(item);
            var data = document.RootElement;
            var type = data.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : item.EventType;
            if (type == partialType)
            {
                var partialIndex = data.TryGetProperty("partial_image_index", out var p) && p.TryGetInt32(out var pi) ? pi : 0;
                var image = Image(data, partialType, context.Images);
                yield return new ProviderFrame { Partial = context.Images.ToPartialImage(image, completed, partialIndex) };
            }
            else if (type == completedType)
            {
                var final = context.Images.ToFinalImage(Image(data, completedType, context.Images), completed);
                final.ProviderRequestId = requestId ?? "";
                final.Model = request.Model;
                if (data.TryGetProperty("usage", out var usage) && ImageUsage.From(usage) is { } u)
                {
                    final.Usage = u;
                }
                completed++;
                yield return new ProviderFrame { Final = final };
            }
            else if (type == "error")
            {
                throw ProviderErrors.FromStreamError(data, requestId);
            }
        }
        if (completed < expected)
        {
            throw new ProviderException(ProviderFailureKind.Unavailable,
                $"OpenAI's {prefix} stream ended after {completed} of {expected} image(s) without an error event.", providerRequestId: requestId);
        }
    }

    private static JsonDocument Parse(SseItem<BinaryData> item)
    {
        try
        {
            return JsonDocument.Parse(item.Data.ToMemory());
        }
        catch (JsonException ex)
        {
            throw new ProviderException(ProviderFailureKind.MalformedResponse,
                $"OpenAI's '{item.EventType}' event is not valid JSON ({item.Data.ToMemory().Length} bytes): {ex.Message}", innerException: ex);
        }
    }

    private static VerifiedImage Image(JsonElement data, string type, ImageNormalizer images)
    {
        var field = $"{type}.b64_json";
        if (!data.TryGetProperty("b64_json", out var b64) || b64.ValueKind != JsonValueKind.String)
        {
            throw new ProviderException(ProviderFailureKind.MalformedResponse, $"{field} is missing.");
        }
        if (!b64.TryGetBytesFromBase64(out var bytes))
        {
            throw new ProviderException(ProviderFailureKind.MalformedResponse, $"{field} is not valid base64.");
        }
        return images.FromBytes(bytes, field);
    }
}
