using System.Text.Json;
using Pipeline.Contracts.Common.V1;
using Pipeline.Providers;

namespace OpenRouter.Adapter.Chat;

/// <summary>Reading the parts shared by chat completions and chunks: messages/deltas, usage, errors.</summary>
internal static class ChatJson
{
    /// <summary>Records id, model, usage and a body-level error; throws the error as a ProviderException.</summary>
    public static void ReadEnvelope(JsonElement root, ChatResult result, string? requestId, string what)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"{what} is not a JSON object");
        }
        if (root.TryGetProperty("error", out var error) && error.ValueKind is JsonValueKind.Object or JsonValueKind.String)
        {
            throw ProviderErrors.FromStreamError(error, requestId ?? String(root, "id"));
        }
        result.Id ??= String(root, "id");
        result.Model = String(root, "model") ?? result.Model;
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            ReadUsage(usage, result);
        }
    }

    /// <summary>
    /// Reads a message or a delta: text content (string, or text parts), <c>images[]</c>, and content parts of type
    /// <c>image_url</c>; each image is verified and returned in order, named by its field for errors.
    /// </summary>
    public static IEnumerable<(string Field, string Url)> ReadMessage(JsonElement message, string path, ChatResult result)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"{path} is not a JSON object");
        }
        var found = new List<(string, string)>();
        if (message.TryGetProperty("content", out var content))
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                result.Text.Append(content.GetString());
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var part in content.EnumerateArray())
                {
                    var type = String(part, "type");
                    if (type == "text" && String(part, "text") is { } text)
                    {
                        result.Text.Append(text);
                    }
                    else if (type == "image_url")
                    {
                        found.Add(ImageUrl(part, $"{path}.content[{i}]"));
                    }
                    i++;
                }
            }
        }
        if (message.TryGetProperty("images", out var images))
        {
            if (images.ValueKind != JsonValueKind.Array)
            {
                throw Malformed($"{path}.images is not an array");
            }
            var i = 0;
            foreach (var image in images.EnumerateArray())
            {
                found.Add(ImageUrl(image, $"{path}.images[{i++}]"));
            }
        }
        return found;
    }

    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static ProviderException Malformed(string message) => new(ProviderFailureKind.MalformedResponse, $"Malformed OpenRouter reply: {message}");

    private static (string Field, string Url) ImageUrl(JsonElement part, string path)
    {
        var field = $"{path}.image_url.url";
        if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("image_url", out var imageUrl))
        {
            // The OpenAI chat shape is {"image_url":{"url":…}}; some relays send the URL string directly.
            if (imageUrl.ValueKind == JsonValueKind.String && imageUrl.GetString() is { Length: > 0 } direct)
            {
                return ($"{path}.image_url", direct);
            }
            if (String(imageUrl, "url") is { Length: > 0 } url)
            {
                return (field, url);
            }
        }
        throw Malformed($"{field} is missing");
    }

    private static void ReadUsage(JsonElement usage, ChatResult result)
    {
        var prompt = Long(usage, "prompt_tokens");
        var completion = Long(usage, "completion_tokens");
        var imageTokens = usage.TryGetProperty("completion_tokens_details", out var details) ? Long(details, "image_tokens") : 0;
        var cachedImageTokens = usage.TryGetProperty("prompt_tokens_details", out var promptDetails) ? Long(promptDetails, "image_tokens") : 0;
        result.Usage = new Usage
        {
            InputTokens = prompt,
            OutputTokens = completion,
            TotalTokens = usage.TryGetProperty("total_tokens", out _) ? Long(usage, "total_tokens") : prompt + completion,
            InputImageTokens = cachedImageTokens,
            InputTextTokens = cachedImageTokens > 0 ? Math.Max(0, prompt - cachedImageTokens) : 0,
            OutputImageTokens = imageTokens,
            OutputTextTokens = imageTokens > 0 ? Math.Max(0, completion - imageTokens) : 0,
        };
        if (usage.TryGetProperty("cost", out var cost) && cost.ValueKind == JsonValueKind.Number && cost.TryGetDecimal(out var usd) && usd >= 0)
        {
            result.CostUsdMicros = (long)decimal.Round(usd * 1_000_000m, MidpointRounding.AwayFromZero);
        }
    }

    private static long Long(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt64(out var number) ? number : 0;
}
