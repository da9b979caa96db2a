using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Imaging;
using Pipeline.Providers;

namespace OpenRouter.Adapter.Chat;

/// <summary>
/// Builds <c>POST chat/completions</c>: one user message (text part, then image_url parts for the input images),
/// <c>modalities</c>, <c>image_config</c> (size mapping plus request.extra), <c>stream</c>, and the call's key.
/// </summary>
internal static class ChatRequestBuilder
{
    /// <summary>request.extra keys that are chat completion parameters; every other key goes into <c>image_config</c>.</summary>
    private static readonly HashSet<string> TopLevelKeys = new(StringComparer.Ordinal)
    {
        "seed", "temperature", "top_p", "top_k", "max_tokens", "modalities", "provider", "models", "transforms", "reasoning", "usage",
    };

    public static HttpRequestMessage Build(ProviderRequest request, string apiKey, bool stream, int attempt, OpenRouterChatOptions chat, ProviderOptions options)
    {
        var body = Body(request, stream, attempt, chat, options);
        var message = new HttpRequestMessage(HttpMethod.Post, "chat/completions")
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body)),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        if (stream)
        {
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        }
        return message;
    }

    /// <summary>The JSON body. <paramref name="call"/> is the 0-based provider call of this request (n images take n calls).</summary>
    public static JsonObject Body(ProviderRequest request, bool stream, int call, OpenRouterChatOptions chat, ProviderOptions options)
    {
        CheckSupported(request, options);
        var content = new JsonArray { new JsonObject { ["type"] = "text", ["text"] = request.Prompt } };
        for (var i = 0; i < request.InputImages.Count; i++)
        {
            var bytes = request.InputImages[i].Data.Span;
            var mime = ImageInspector.DetectFormat(bytes)?.ToMimeType()
                ?? throw new ProviderException(ProviderFailureKind.InvalidRequest, $"input_images[{i}] is not a PNG, JPEG or WebP image") { Param = $"input_images[{i}]" };
            content.Add(new JsonObject
            {
                ["type"] = "image_url",
                ["image_url"] = new JsonObject { ["url"] = $"data:{mime};base64,{Convert.ToBase64String(bytes)}" },
            });
        }

        var body = new JsonObject
        {
            ["model"] = request.Model,
            ["messages"] = new JsonArray { new JsonObject { ["role"] = "user", ["content"] = content } },
            ["modalities"] = chat.IsImageOnly(request.Model) ? new JsonArray("image") : new JsonArray("image", "text"),
        };
        var imageConfig = new JsonObject();
        foreach (var (key, value) in request.ExtraAsJson())
        {
            if (key == "image_config" && value is JsonObject given)
            {
                foreach (var (k, v) in given)
                {
                    imageConfig[k] = v?.DeepClone();
                }
            }
            else if (TopLevelKeys.Contains(key))
            {
                body[key] = value?.DeepClone();
            }
            else
            {
                imageConfig[key] = value?.DeepClone();
            }
        }
        ImageConfigMapper.ApplySize(request.Size, imageConfig);
        if (imageConfig.Count > 0)
        {
            body["image_config"] = imageConfig;
        }
        if (call > 0 && body["seed"] is JsonValue seed && seed.TryGetValue<double>(out var seedValue))
        {
            // n images take n calls; a caller-given seed moves on per call so the images differ, reproducibly.
            body["seed"] = (long)seedValue + call;
        }
        if (request.RunId.Length > 0)
        {
            body["user"] = request.RunId;
        }
        body["stream"] = stream;
        return body;
    }

    private static void CheckSupported(ProviderRequest request, ProviderOptions options)
    {
        if (request.Operation != Operation.Chat)
        {
            throw new ProviderException(ProviderFailureKind.InvalidRequest,
                $"OpenRouter serves OPERATION_CHAT only, not {request.Operation}") { Param = "operation" };
        }
        if (request.Mask is not null)
        {
            throw new ProviderException(ProviderFailureKind.InvalidRequest, "OpenRouter chat completions take no mask") { Param = "mask" };
        }
        if (request.OutputFormat.Length > 0 && options.FindModel(request.Model) is { OutputFormats.Count: > 0 } model
            && !model.OutputFormats.Contains(request.OutputFormat, StringComparer.OrdinalIgnoreCase))
        {
            throw new ProviderException(ProviderFailureKind.InvalidRequest,
                $"output_format '{request.OutputFormat}' is not available for {model.Id}; it returns {string.Join(", ", model.OutputFormats)}") { Param = "output_format" };
        }
    }
}
