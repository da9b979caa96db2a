using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Imaging;
using ProviderEmulator.Hosting;

namespace ProviderEmulator.OpenAI.Responses;

/// <summary>A parsed <c>POST /v1/responses</c> request (the parts the emulator acts on).</summary>
internal sealed record ResponsesRequest
{
    public required string Model { get; init; }

    public required string Prompt { get; init; }

    public ImageTool? Tool { get; init; }

    /// <summary>tool_choice as sent (string or object), echoed back.</summary>
    public JsonNode ToolChoice { get; init; } = "auto";

    public bool Stream { get; init; }

    public string? Instructions { get; init; }

    public string? PreviousResponseId { get; init; }

    /// <summary>Input images (data URLs or earlier image_generation_call results).</summary>
    public IReadOnlyList<byte[]> InputImages { get; init; } = [];

    public bool GeneratesImage => Tool is not null && !(ToolChoice is JsonValue v && v.ToString() == "none");

    private static readonly string[] Qualities = ["auto", "low", "medium", "high"];
    private static readonly string[] Sizes = ["auto", "1024x1024", "1024x1536", "1536x1024"];

    public static ResponsesRequest Parse(JsonElement root, ResponseStore store)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ApiErrorException(new ApiError(400, "The request body must be a JSON object."));
        }

        var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : null;
        if (string.IsNullOrEmpty(model))
        {
            throw new ApiErrorException(ApiError.MissingParameter("model"));
        }

        if (!root.TryGetProperty("input", out var input) || input.ValueKind == JsonValueKind.Null)
        {
            throw new ApiErrorException(ApiError.MissingParameter("input"));
        }

        var prompt = new StringBuilder();
        var images = new List<byte[]>();
        ReadInput(input, prompt, images, store);
        var previous = root.TryGetProperty("previous_response_id", out var prev) && prev.ValueKind == JsonValueKind.String ? prev.GetString() : null;
        if (previous is not null)
        {
            var image = store.Find(previous)
                ?? throw new ApiErrorException(new ApiError(400, $"Previous response with id '{previous}' not found.", Param: "previous_response_id", Code: "previous_response_not_found"));
            images.Insert(0, image);
        }

        ImageTool? tool = null;
        if (root.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var t in tools.EnumerateArray())
            {
                if (t.TryGetProperty("type", out var type) && type.GetString() == "image_generation")
                {
                    tool = ReadTool(t, $"tools[{index}]");
                }

                index++;
            }
        }

        var choice = root.TryGetProperty("tool_choice", out var tc) && tc.ValueKind != JsonValueKind.Null ? JsonNode.Parse(tc.GetRawText())! : "auto";
        var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        var instructions = root.TryGetProperty("instructions", out var ins) && ins.ValueKind == JsonValueKind.String ? ins.GetString() : null;
        return new ResponsesRequest
        {
            Model = model,
            Prompt = prompt.ToString().Trim(),
            Tool = tool,
            ToolChoice = choice,
            Stream = stream,
            Instructions = instructions,
            PreviousResponseId = previous,
            InputImages = images,
        };
    }

    private static void ReadInput(JsonElement input, StringBuilder prompt, List<byte[]> images, ResponseStore store)
    {
        if (input.ValueKind == JsonValueKind.String)
        {
            prompt.Append(input.GetString());
            return;
        }

        if (input.ValueKind != JsonValueKind.Array)
        {
            throw new ApiErrorException(ApiError.InvalidType("input", "a string or an array", "another type"));
        }

        foreach (var item in input.EnumerateArray())
        {
            var type = item.TryGetProperty("type", out var t) ? t.GetString() : "message";
            if (type == "image_generation_call" && item.TryGetProperty("id", out var id))
            {
                images.Add(store.Find(id.GetString() ?? "")
                    ?? throw new ApiErrorException(ApiError.InvalidValue("input", $"Item with id '{id.GetString()}' not found.")));
                continue;
            }

            if (type != "message" || !item.TryGetProperty("content", out var content))
            {
                continue;
            }

            var role = item.TryGetProperty("role", out var r) ? r.GetString() : "user";
            if (role != "user")
            {
                continue;
            }

            if (content.ValueKind == JsonValueKind.String)
            {
                prompt.Append(content.GetString()).Append('\n');
                continue;
            }

            foreach (var part in content.EnumerateArray())
            {
                var partType = part.TryGetProperty("type", out var pt) ? pt.GetString() : null;
                if (partType == "input_text" && part.TryGetProperty("text", out var text))
                {
                    prompt.Append(text.GetString()).Append('\n');
                }
                else if (partType == "input_image" && part.TryGetProperty("image_url", out var url) && url.ValueKind == JsonValueKind.String)
                {
                    images.Add(DataUrl.Decode(url.GetString()!, "input"));
                }
            }
        }
    }

    private static ImageTool ReadTool(JsonElement t, string path)
    {
        string? Str(string name, string[]? allowed = null)
        {
            if (!t.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            var value = v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new ApiErrorException(ApiError.InvalidType($"{path}.{name}", "a string", "another type"));
            if (allowed is not null && !allowed.Contains(value))
            {
                throw new ApiErrorException(ApiError.InvalidValue($"{path}.{name}", $"Invalid value: '{value}'. Supported values are: {string.Join(", ", allowed.Select(a => $"'{a}'"))}."));
            }

            return value;
        }

        int? Int(string name, int min, int max)
        {
            if (!t.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var value) || value < min || value > max)
            {
                throw new ApiErrorException(ApiError.InvalidValue($"{path}.{name}", $"Invalid '{path}.{name}': expected an integer between {min} and {max}, got {v.GetRawText()}."));
            }

            return value;
        }

        var format = Str("output_format", ["png", "jpeg", "webp"]);
        ImageFormats.TryParse(format ?? "png", out var imageFormat);
        var background = Str("background", ["transparent", "opaque", "auto"]) ?? "auto";
        if (background == "transparent" && imageFormat == ImageFormat.Jpeg)
        {
            throw new ApiErrorException(ApiError.InvalidValue($"{path}.background", "Transparent background is not supported for jpeg output format. Use png or webp."));
        }

        return new ImageTool
        {
            Model = Str("model", ["gpt-image-1", "gpt-image-1-mini", "gpt-image-1.5", "gpt-image-2"]) ?? "gpt-image-1",
            Quality = Str("quality", Qualities) ?? "auto",
            Size = Str("size", Sizes) ?? "auto",
            Format = imageFormat,
            Compression = Int("output_compression", 0, 100) ?? 100,
            Background = background,
            Moderation = Str("moderation", ["auto", "low"]) ?? "auto",
            PartialImages = Int("partial_images", 0, 3) ?? 0,
            InputFidelity = Str("input_fidelity", ["high", "low"]),
            Action = Str("action", ["generate", "edit", "auto"]),
        };
    }
}
