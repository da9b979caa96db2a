using System.Text;
using System.Text.Json;
using ProviderEmulator.Hosting;
using ProviderEmulator.OpenAI;

namespace ProviderEmulator.OpenRouter;

/// <summary>A parsed OpenRouter chat completion request for images.</summary>
internal sealed record ChatImageRequest
{
    public required OpenRouterModel Model { get; init; }

    public required string Prompt { get; init; }

    public bool WantsImage { get; init; }

    public bool Stream { get; init; }

    public int Width { get; init; } = 1024;

    public int Height { get; init; } = 1024;

    public long Seed { get; init; }

    public IReadOnlyList<byte[]> InputImages { get; init; } = [];

    private static readonly Dictionary<string, (int W, int H)> AspectRatios = new(StringComparer.Ordinal)
    {
        ["1:1"] = (1024, 1024), ["2:3"] = (832, 1248), ["3:2"] = (1248, 832), ["3:4"] = (864, 1184), ["4:3"] = (1184, 864),
        ["4:5"] = (896, 1152), ["5:4"] = (1152, 896), ["9:16"] = (768, 1344), ["16:9"] = (1344, 768), ["21:9"] = (1536, 672),
    };

    public static ChatImageRequest Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ApiErrorException(new ApiError(400, "Invalid JSON body"));
        }

        var modelId = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
        var model = OpenRouterModel.Find(modelId)
            ?? throw new ApiErrorException(new ApiError(400, $"{modelId} is not a valid model ID"));
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            throw new ApiErrorException(new ApiError(400, "Input required: specify \"prompt\" or \"messages\""));
        }

        var prompt = new StringBuilder();
        var images = new List<byte[]>();
        foreach (var message in messages.EnumerateArray())
        {
            if (!message.TryGetProperty("role", out var role) || role.GetString() != "user" || !message.TryGetProperty("content", out var content))
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
                var type = part.TryGetProperty("type", out var t) ? t.GetString() : null;
                if (type == "text" && part.TryGetProperty("text", out var text))
                {
                    prompt.Append(text.GetString()).Append('\n');
                }
                else if (type == "image_url" && part.TryGetProperty("image_url", out var url) && url.TryGetProperty("url", out var u))
                {
                    images.Add(DataUrl.Decode(u.GetString() ?? "", "messages"));
                }
            }
        }

        var wantsImage = root.TryGetProperty("modalities", out var modalities) && modalities.ValueKind == JsonValueKind.Array
            && modalities.EnumerateArray().Any(x => x.GetString() == "image");
        if (!model.OutputsText && !wantsImage)
        {
            throw new ApiErrorException(new ApiError(400, $"{model.Id} only outputs images: set \"modalities\": [\"image\"]"));
        }

        var (w, h) = (1024, 1024);
        if (root.TryGetProperty("image_config", out var config) && config.ValueKind == JsonValueKind.Object)
        {
            if (config.TryGetProperty("aspect_ratio", out var ratio) && ratio.ValueKind == JsonValueKind.String)
            {
                if (!AspectRatios.TryGetValue(ratio.GetString()!, out var size))
                {
                    throw new ApiErrorException(new ApiError(400, $"Invalid image_config.aspect_ratio '{ratio.GetString()}'; supported: {string.Join(", ", AspectRatios.Keys)}"));
                }

                (w, h) = size;
            }

            if (config.TryGetProperty("image_size", out var imageSize) && imageSize.ValueKind == JsonValueKind.String)
            {
                var scale = imageSize.GetString() switch
                {
                    "0.5K" => 0.5,
                    "1K" => 1.0,
                    "2K" => 2.0,
                    "4K" => 4.0,
                    var other => throw new ApiErrorException(new ApiError(400, $"Invalid image_config.image_size '{other}'; supported: 0.5K, 1K, 2K, 4K")),
                };
                (w, h) = ((int)(w * scale), (int)(h * scale));
            }
        }

        var seed = root.TryGetProperty("seed", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var seedValue) ? seedValue : 0;
        return new ChatImageRequest
        {
            Model = model,
            Prompt = prompt.ToString().Trim(),
            WantsImage = wantsImage,
            Stream = root.TryGetProperty("stream", out var st) && st.ValueKind == JsonValueKind.True,
            Width = w,
            Height = h,
            Seed = seed,
            InputImages = images,
        };
    }
}
