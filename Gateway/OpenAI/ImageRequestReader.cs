using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.OpenAI;

/// <summary>
/// Reads OpenAI images requests: JSON for generations, multipart/form-data for edits (images as <c>image</c>,
/// <c>image[]</c> or repeated parts, optional <c>mask</c>, every other value a text part). Unknown parameters are
/// refused as OpenAI does; values are checked by the router against the config's rules.
/// </summary>
public static class ImageRequestReader
{
    private static readonly HashSet<string> s_stringFields = ["prompt", "model", "size", "quality", "output_format", "background", "response_format", "style", "moderation", "user", "input_fidelity"];
    private static readonly HashSet<string> s_integerFields = ["n", "output_compression", "partial_images"];
    private static readonly HashSet<string> s_extraFields = ["style", "moderation", "input_fidelity"];

    /// <summary>Reads a JSON generations request.</summary>
    public static async Task<ImageRequest> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw OpenAIException.Invalid("Send the request as application/json.", null, "invalid_content_type");
        }
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            throw OpenAIException.Invalid("We could not parse the JSON body of your request. The body must be a JSON object.", null, "invalid_json");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw OpenAIException.Invalid("The JSON body must be an object.", null, "invalid_json");
            }
            var values = new Dictionary<string, object>(StringComparer.Ordinal);
            try
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.Null)
                    {
                        continue;
                    }
                    values[property.Name] = ReadJsonValue(property);
                }
            }
            catch (InvalidOperationException)
            {
                // System.Text.Json parses such text but refuses to turn it into a string (a name or a value).
                throw OpenAIException.Invalid(
                    "The JSON body holds text that is not valid Unicode: invalid UTF-8 bytes or an unpaired surrogate escape such as \\ud800.",
                    null, "invalid_encoding");
            }
            return Build(values, [], null);
        }
    }

    /// <summary>Reads a multipart edits request.</summary>
    public static async Task<ImageRequest> ReadMultipartAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType || !(request.ContentType ?? "").StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw OpenAIException.Invalid("Send image edits as multipart/form-data with the images as 'image' or 'image[]' parts.", null, "invalid_content_type");
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = long.MaxValue }, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            throw OpenAIException.Invalid($"The multipart body could not be read: {ex.Message}", null, "invalid_multipart");
        }
        catch (IOException ex) when (ex is not BadHttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // MultipartReader's "Unexpected end of stream": no closing boundary, a boundary other than Content-Type's, a truncated part.
            throw OpenAIException.Invalid(
                "The multipart body ended before its closing boundary. Check that the parts are separated by the boundary named in Content-Type and that the body ends with '--<boundary>--'.",
                null, "invalid_multipart");
        }
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, value) in form)
        {
            values[name] = ReadTextValue(name, value.ToString());
        }
        var images = new List<InputFile>();
        InputFile? mask = null;
        foreach (var file in form.Files)
        {
            var input = await ReadFileAsync(file, cancellationToken);
            switch (file.Name)
            {
                case "image" or "image[]":
                    images.Add(input);
                    break;
                case "mask":
                    mask = mask is null ? input : throw OpenAIException.Invalid("Send at most one 'mask'.", "mask");
                    break;
                default:
                    throw OpenAIException.Invalid($"Unknown parameter: '{file.Name}'.", file.Name, "unknown_parameter");
            }
        }
        if (images.Count == 0)
        {
            throw OpenAIException.Invalid("Missing required parameter: 'image'.", "image", "missing_required_parameter");
        }
        return Build(values, images, mask);
    }

    private static ImageRequest Build(Dictionary<string, object> values, List<InputFile> images, InputFile? mask)
    {
        if (!values.TryGetValue("prompt", out var prompt) || prompt is not string { Length: > 0 } text)
        {
            throw OpenAIException.Invalid("Missing required parameter: 'prompt'.", "prompt", "missing_required_parameter");
        }
        var responseFormat = String(values, "response_format");
        if (responseFormat is not (null or "b64_json" or "url"))
        {
            throw OpenAIException.Invalid($"Invalid value: '{responseFormat}'. Supported values are: 'b64_json' and 'url'.", "response_format");
        }
        return new ImageRequest
        {
            Prompt = text,
            Model = String(values, "model"),
            N = Integer(values, "n"),
            Size = String(values, "size"),
            Quality = String(values, "quality"),
            OutputFormat = String(values, "output_format"),
            Background = String(values, "background"),
            OutputCompression = Integer(values, "output_compression"),
            PartialImages = Integer(values, "partial_images"),
            Stream = values.TryGetValue("stream", out var stream) && (bool)stream,
            ReturnUrl = responseFormat == "url",
            Extras = s_extraFields.Where(values.ContainsKey).ToDictionary(f => f, f => (string)values[f], StringComparer.Ordinal),
            Images = images,
            Mask = mask,
        };
    }

    private static object ReadJsonValue(JsonProperty property)
    {
        var (name, value) = (property.Name, property.Value);
        if (s_stringFields.Contains(name))
        {
            return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw TypeError(name, "a string", value.ValueKind);
        }
        if (s_integerFields.Contains(name))
        {
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : throw TypeError(name, "an integer", value.ValueKind);
        }
        if (name == "stream")
        {
            return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw TypeError(name, "a boolean", value.ValueKind);
        }
        throw OpenAIException.Invalid($"Unknown parameter: '{name}'.", name, "unknown_parameter");
    }

    private static object ReadTextValue(string name, string value)
    {
        if (s_stringFields.Contains(name))
        {
            return value;
        }
        if (s_integerFields.Contains(name))
        {
            return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw OpenAIException.Invalid($"Invalid type for '{name}': expected an integer, but got '{value}' instead.", name, "invalid_type");
        }
        if (name == "stream")
        {
            return bool.TryParse(value, out var flag)
                ? flag
                : throw OpenAIException.Invalid($"Invalid type for 'stream': expected a boolean, but got '{value}' instead.", name, "invalid_type");
        }
        throw OpenAIException.Invalid($"Unknown parameter: '{name}'.", name, "unknown_parameter");
    }

    private static async Task<InputFile> ReadFileAsync(IFormFile file, CancellationToken cancellationToken)
    {
        var data = new byte[file.Length];
        await using var stream = file.OpenReadStream();
        await stream.ReadExactlyAsync(data, cancellationToken);
        return new InputFile(file.FileName, file.ContentType ?? "", data);
    }

    private static OpenAIException TypeError(string name, string expected, JsonValueKind actual) =>
        OpenAIException.Invalid($"Invalid type for '{name}': expected {expected}, but got {actual.ToString().ToLowerInvariant()} instead.", name, "invalid_type");

    private static string? String(Dictionary<string, object> values, string name) => values.TryGetValue(name, out var value) ? (string)value : null;

    private static int? Integer(Dictionary<string, object> values, string name) => values.TryGetValue(name, out var value) ? (int)value : null;
}
