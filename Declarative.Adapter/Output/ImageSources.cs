using System.Text.Json.Nodes;
using Declarative.Adapter.Chunks;
using Declarative.Adapter.Json;
using Pipeline.Providers;

namespace Declarative.Adapter.Output;

/// <summary>
/// Finds the images in a JSON reply by the chunk's output_mapping, each as the provider wrote it (base64, a data URI or a
/// URL) with the field it came from; <see cref="ImageNormalizer"/> decodes, downloads and verifies them.
/// </summary>
internal static class ImageSources
{
    public static List<(string Field, string Source)> Find(JsonNode? reply, OutputMapping mapping) => mapping.Type switch
    {
        OutputType.ImagesApiBase64 => ImagesApi(reply),
        OutputType.ChatCompletionWithImage => ChatCompletion(reply),
        _ => AtPath(reply, mapping.ExtractPath!),
    };

    private static List<(string, string)> ImagesApi(JsonNode? reply)
    {
        if (reply?["data"] is not JsonArray data || data.Count == 0)
        {
            throw Malformed("data is missing or empty (output_mapping images_api_base64 reads data[].b64_json)");
        }
        var found = new List<(string, string)>();
        for (var i = 0; i < data.Count; i++)
        {
            if (Text(data[i]?["b64_json"]) is { Length: > 0 } base64)
            {
                found.Add(($"data[{i}].b64_json", base64));
            }
            else if (Text(data[i]?["url"]) is { Length: > 0 } url)
            {
                found.Add(($"data[{i}].url", url));
            }
            else
            {
                throw Malformed($"data[{i}].b64_json is missing");
            }
        }
        return found;
    }

    private static List<(string, string)> ChatCompletion(JsonNode? reply)
    {
        const string at = "choices[0].message";
        if (reply?["choices"] is not JsonArray { Count: > 0 } choices || choices[0]?["message"] is not JsonObject message)
        {
            throw Malformed($"{at} is missing (output_mapping chat_completion_with_image)");
        }
        var found = new List<(string, string)>();
        if (message["images"] is JsonArray images)
        {
            for (var i = 0; i < images.Count; i++)
            {
                found.Add(ImageUrl(images[i], $"{at}.images[{i}]"));
            }
        }
        if (message["content"] is JsonArray parts)
        {
            for (var i = 0; i < parts.Count; i++)
            {
                if (Text(parts[i]?["type"]) == "image_url")
                {
                    found.Add(ImageUrl(parts[i], $"{at}.content[{i}]"));
                }
            }
        }
        if (found.Count == 0)
        {
            var text = Text(message["content"]) is { Length: > 0 } said ? $"; it said '{(said.Length > 200 ? said[..200] + "…" : said)}'" : "";
            throw Malformed($"no image in {at}.images[] or {at}.content[type=image_url]{text}");
        }
        return found;
    }

    private static (string, string) ImageUrl(JsonNode? part, string at)
    {
        // The OpenAI chat shape is {"image_url":{"url":…}}; some relays send the URL string directly.
        if (Text(part?["image_url"]) is { Length: > 0 } direct)
        {
            return ($"{at}.image_url", direct);
        }
        return Text(part?["image_url"]?["url"]) is { Length: > 0 } url ? ($"{at}.image_url.url", url) : throw Malformed($"{at}.image_url.url is missing");
    }

    private static List<(string, string)> AtPath(JsonNode? reply, JsonPath path)
    {
        var values = path.Select(reply);
        if (values.Count == 0)
        {
            throw Malformed($"extract_path '{path}' is missing or empty in the reply");
        }
        var found = new List<(string, string)>();
        foreach (var (field, value) in values)
        {
            if (Text(value) is not { Length: > 0 } source)
            {
                throw Malformed($"{field} (extract_path '{path}') is not a non-empty string");
            }
            found.Add((field, source));
        }
        return found;
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static ProviderException Malformed(string message) => new(ProviderFailureKind.MalformedResponse, $"Malformed provider reply: {message}");
}
