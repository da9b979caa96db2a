using System.Globalization;
using System.Text.Json.Nodes;
using Pipeline.Imaging;
using ProviderEmulator.Faults;
using ProviderEmulator.Hosting;
using ProviderEmulator.OpenAI;
using ProviderEmulator.OpenAI.Images;
using ProviderEmulator.Rendering;
using ProviderEmulator.Sse;

namespace ProviderEmulator.OpenRouter;

/// <summary>POST /api/v1/chat/completions (images via modalities) and GET /api/v1/models.</summary>
internal static class OpenRouterEndpoints
{
    private const string Processing = "OPENROUTER PROCESSING";
    private const string ReplyText = "Here is your image.";
    private const int TokensPerImage = 1290;

    public static IEndpointRouteBuilder MapOpenRouter(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/v1/chat/completions", ChatAsync);
        routes.MapGet("/api/v1/models", Models);
        return routes;
    }

    private static IResult Models(string? output_modalities)
    {
        var wanted = (output_modalities ?? "text").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var data = new JsonArray();
        foreach (var model in OpenRouterModel.All)
        {
            var outputs = model.OutputsText ? new[] { "image", "text" } : ["image"];
            if (wanted.Contains("all") || wanted.Any(outputs.Contains))
            {
                data.Add(model.ToJson());
            }
        }

        var body = new JsonObject { ["data"] = data, ["total_count"] = data.Count, ["links"] = new JsonObject { ["next"] = null } };
        return Results.Text(EmulatorJson.Serialize(body), "application/json");
    }

    private static async Task ChatAsync(HttpContext context, ImageStudio studio)
    {
        var request = ChatImageRequest.Parse(await ImageRequestReader.ReadJsonAsync(context.Request));
        var faults = EmulatorRequest.Get(context).Faults;
        if (faults.ContentPolicy)
        {
            throw new ApiErrorException(FaultErrors.ContentPolicyOpenRouter(request.Model.Id, request.Prompt));
        }

        var id = context.Response.Headers["X-Generation-Id"].ToString();
        var created = EmulatorJson.UnixNow();
        byte[]? image = null;
        if (request.WantsImage)
        {
            image = studio.Final(Spec(request));
            if (faults.OversizedImageBytes > 0)
            {
                image = ImagePadding.PadTo(image, ImageFormat.Png, faults.OversizedImageBytes);
            }
        }

        var images = new JsonArray();
        if (image is not null)
        {
            images.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = DataUrl.Encode("image/png", image) } });
        }

        if (request.Stream)
        {
            await StreamAsync(context, request, id, created, images, faults);
            return;
        }

        var body = Header(id, request.Model, "chat.completion", created);
        body["system_fingerprint"] = null;
        body["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["logprobs"] = null,
            ["finish_reason"] = "stop",
            ["native_finish_reason"] = "STOP",
            ["message"] = new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = request.Model.OutputsText ? ReplyText : "",
                ["refusal"] = null,
                ["reasoning"] = null,
                ["images"] = images,
            },
        });
        body["usage"] = Usage(request, images.Count, detailed: true);
        await JsonReply.WriteAsync(context, body);
    }

    private static async Task StreamAsync(HttpContext context, ChatImageRequest request, string id, long created, JsonArray images, FaultPlan faults)
    {
        var sse = await SseWriter.StartAsync(context);
        await sse.CommentAsync(Processing);
        if (faults.PartialDelay > TimeSpan.Zero)
        {
            await sse.PauseAsync();
            await sse.CommentAsync(Processing);
        }

        await sse.DataAsync(Chunk(id, request.Model, created, new JsonObject { ["role"] = "assistant", ["content"] = request.Model.OutputsText ? ReplyText : "" }, null, null));
        if (faults.CutStream)
        {
            await sse.CutAsync();
            return;
        }

        if (faults.MidStreamError)
        {
            var error = Header(id, request.Model, "chat.completion.chunk", created);
            error["error"] = new JsonObject
            {
                ["code"] = 502,
                ["message"] = "Provider disconnected",
                ["metadata"] = new JsonObject { ["error_type"] = "provider_unavailable" },
            };
            error["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = new JsonObject { ["content"] = "" }, ["finish_reason"] = "error" });
            await sse.DataAsync(error);
            return;
        }

        await sse.PauseAsync();
        await sse.CommentAsync(Processing);
        var streamedImages = new JsonArray();
        var index = 0;
        foreach (var image in images)
        {
            var copy = (JsonObject)image!.DeepClone();
            copy["index"] = index++;
            streamedImages.Add(copy);
        }

        var delta = new JsonObject { ["role"] = "assistant", ["content"] = "", ["images"] = streamedImages };
        var imageChunk = Chunk(id, request.Model, created, delta, "stop", "STOP");
        if (faults.MalformedJson)
        {
            await sse.RawDataAsync(EmulatorJson.Serialize(imageChunk)[..120]);
        }
        else
        {
            await sse.DataAsync(imageChunk);
        }

        if (faults.PartialDelay > TimeSpan.Zero)
        {
            // The usage chunk is an event group of its own, so a client can see the image arrive before the stream ends.
            await sse.PauseAsync();
            await sse.CommentAsync(Processing);
        }

        var usage = Header(id, request.Model, "chat.completion.chunk", created);
        usage["choices"] = new JsonArray();
        usage["usage"] = Usage(request, images.Count, detailed: false);
        await sse.DataAsync(usage);
        await sse.RawDataAsync("[DONE]");
    }

    private static JsonObject Header(string id, OpenRouterModel model, string objectType, long created) => new()
    {
        ["id"] = id,
        ["provider"] = model.Provider,
        ["model"] = model.Id,
        ["object"] = objectType,
        ["created"] = created,
    };

    private static JsonObject Chunk(string id, OpenRouterModel model, long created, JsonObject delta, string? finish, string? nativeFinish)
    {
        var chunk = Header(id, model, "chat.completion.chunk", created);
        chunk["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["delta"] = delta,
            ["finish_reason"] = finish,
            ["native_finish_reason"] = nativeFinish,
        });
        return chunk;
    }

    private static JsonObject Usage(ChatImageRequest request, int images, bool detailed)
    {
        var prompt = ImageTokens.Text(request.Prompt) + (request.InputImages.Count * 258);
        var imageTokens = images * TokensPerImage;
        var completion = imageTokens + (request.Model.OutputsText ? ReplyText.Length / 4 : 0);
        var promptCost = prompt * double.Parse(request.Model.PromptPrice, CultureInfo.InvariantCulture);
        var completionCost = (completion * double.Parse(request.Model.CompletionPrice, CultureInfo.InvariantCulture))
            + (images * double.Parse(request.Model.ImagePrice, CultureInfo.InvariantCulture));
        var usage = new JsonObject
        {
            ["prompt_tokens"] = prompt,
            ["completion_tokens"] = completion,
            ["total_tokens"] = prompt + completion,
        };
        if (detailed)
        {
            usage["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = 0 };
            usage["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0, ["image_tokens"] = imageTokens };
        }

        usage["cost"] = Math.Round(promptCost + completionCost, 6);
        if (detailed)
        {
            usage["is_byok"] = false;
            usage["cost_details"] = new JsonObject
            {
                ["upstream_inference_cost"] = null,
                ["upstream_inference_prompt_cost"] = Math.Round(promptCost, 6),
                ["upstream_inference_completions_cost"] = Math.Round(completionCost, 6),
            };
        }

        return usage;
    }

    private static ImageSpec Spec(ChatImageRequest request)
    {
        var edit = EditInput.FromFirstImage(request.InputImages, "messages");

        return new ImageSpec(request.Prompt, request.Width, request.Height, request.Seed, false, ImageFormat.Png, 100, edit);
    }
}
