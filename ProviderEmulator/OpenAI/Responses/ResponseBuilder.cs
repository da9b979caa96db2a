using System.Text.Json.Nodes;
using Pipeline.Imaging;

namespace ProviderEmulator.OpenAI.Responses;

/// <summary>Builds the Response object and its output items in the recorded key order.</summary>
internal sealed class ResponseBuilder(ResponsesRequest request, string responseId, string callId, string messageId, long createdAt)
{
    public const string AssistantText = "Here is the image you asked for.";

    public string ResponseId { get; } = responseId;

    public string CallId { get; } = callId;

    public string MessageId { get; } = messageId;

    public string RevisedPrompt => $"A detailed, vivid illustration of: {request.Prompt}";

    public JsonObject Response(string status, JsonArray output, bool withUsage, JsonObject? error = null)
    {
        var tool = request.Tool;
        var json = new JsonObject
        {
            ["id"] = ResponseId,
            ["object"] = "response",
            ["created_at"] = createdAt,
            ["status"] = status,
            ["background"] = false,
            ["error"] = error,
            ["incomplete_details"] = null,
            ["instructions"] = request.Instructions,
            ["max_output_tokens"] = null,
            ["model"] = request.Model,
            ["output"] = output,
            ["parallel_tool_calls"] = true,
            ["previous_response_id"] = request.PreviousResponseId,
            ["reasoning"] = new JsonObject { ["effort"] = null, ["summary"] = null },
            ["store"] = true,
            ["temperature"] = 1.0,
            ["text"] = new JsonObject { ["format"] = new JsonObject { ["type"] = "text" } },
            ["tool_choice"] = request.ToolChoice.DeepClone(),
            ["tools"] = tool is null ? new JsonArray() : new JsonArray(tool.ToJson()),
            ["top_p"] = 1.0,
            ["truncation"] = "disabled",
            ["usage"] = null,
            ["user"] = null,
            ["metadata"] = new JsonObject(),
        };
        if (withUsage)
        {
            var input = ImageTokens.Text(request.Prompt) + 40;
            var outputTokens = AssistantText.Length / 4;
            json["usage"] = new JsonObject
            {
                ["input_tokens"] = input,
                ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = 0 },
                ["output_tokens"] = outputTokens,
                ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0 },
                ["total_tokens"] = input + outputTokens,
            };
            if (tool is not null && request.GeneratesImage)
            {
                var text = ImageTokens.Text(request.Prompt);
                var images = request.InputImages.Count * ImageTokens.PerInputImage;
                var (w, h) = tool.Dimensions;
                var generated = ImageTokens.Output(tool.ConcreteQuality, w, h);
                json["tool_usage"] = new JsonObject
                {
                    ["image_gen"] = new JsonObject
                    {
                        ["input_tokens"] = text + images,
                        ["input_tokens_details"] = new JsonObject { ["image_tokens"] = images, ["text_tokens"] = text },
                        ["output_tokens"] = generated,
                        ["output_tokens_details"] = new JsonObject { ["image_tokens"] = generated, ["text_tokens"] = 0 },
                        ["total_tokens"] = text + images + generated,
                    },
                };
            }
        }

        return json;
    }

    /// <summary>The image_generation_call item; <paramref name="result"/> null while in progress.</summary>
    public JsonObject CallItem(string status, byte[]? result)
    {
        if (result is null)
        {
            return new JsonObject { ["id"] = CallId, ["type"] = "image_generation_call", ["status"] = status };
        }

        var tool = request.Tool!;
        return new JsonObject
        {
            ["id"] = CallId,
            ["type"] = "image_generation_call",
            ["status"] = status,
            ["action"] = request.InputImages.Count > 0 ? "edit" : "generate",
            ["background"] = tool.ConcreteBackground,
            ["output_format"] = tool.Format.ToOutputFormat(),
            ["quality"] = tool.ConcreteQuality,
            ["result"] = Convert.ToBase64String(result),
            ["revised_prompt"] = RevisedPrompt,
            ["size"] = tool.ConcreteSize,
        };
    }

    public JsonObject MessageItem(string status, string? text) => new()
    {
        ["id"] = MessageId,
        ["type"] = "message",
        ["status"] = status,
        ["content"] = text is null ? new JsonArray() : new JsonArray(TextPart(text)),
        ["role"] = "assistant",
    };

    public static JsonObject TextPart(string text) => new()
    {
        ["type"] = "output_text",
        ["annotations"] = new JsonArray(),
        ["logprobs"] = new JsonArray(),
        ["text"] = text,
    };
}
