using System.Text.Json;
using Pipeline.Providers;

namespace OpenRouter.Adapter.Chat;

/// <summary>Reads a non-streamed chat completion: images from <c>message.images[]</c> and <c>image_url</c> content parts.</summary>
internal static class ChatCompletionReader
{
    public static async Task<ChatResult> ReadAsync(HttpResponseMessage response, ImageNormalizer images, string? requestId, CancellationToken ct)
    {
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, cancellationToken: ct);
        }
        catch (JsonException ex)
        {
            throw new ProviderException(ProviderFailureKind.MalformedResponse,
                $"Malformed OpenRouter reply: the chat completion is not valid JSON ({ex.Message})", providerRequestId: requestId, innerException: ex);
        }
        using (document)
        {
            var root = document.RootElement;
            var result = new ChatResult { Id = requestId };
            ChatJson.ReadEnvelope(root, result, requestId, "the chat completion");
            if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
            {
                throw ChatJson.Malformed("choices is missing or empty");
            }
            var choice = choices[0];
            result.FinishReason = ChatJson.String(choice, "finish_reason");
            if (choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                throw ProviderErrors.FromStreamError(error, result.Id);
            }
            if (choice.ValueKind != JsonValueKind.Object || !choice.TryGetProperty("message", out var message))
            {
                throw ChatJson.Malformed("choices[0].message is missing");
            }
            foreach (var (field, url) in ChatJson.ReadMessage(message, "choices[0].message", result))
            {
                result.Images.Add(await images.NormalizeAsync(url, field, ct));
            }
            return result;
        }
    }
}
