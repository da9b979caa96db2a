using System.Text.Json;
using OpenAI.Images;
using Pipeline.Contracts.Common.V1;

namespace OpenAI.Adapter.Images;

/// <summary>OpenAI image token usage (Images API replies, streamed completed events, Responses tool_usage) as <see cref="Usage"/>.</summary>
internal static class ImageUsage
{
    public static Usage? From(ImageTokenUsage? usage) => usage is null ? null : new Usage
    {
        InputTokens = usage.InputTokenCount,
        OutputTokens = usage.OutputTokenCount,
        TotalTokens = usage.TotalTokenCount,
        InputTextTokens = usage.InputTokenDetails?.TextTokenCount ?? 0,
        InputImageTokens = usage.InputTokenDetails?.ImageTokenCount ?? 0,
        OutputImageTokens = usage.OutputTokenDetails?.ImageTokenCount ?? 0,
        OutputTextTokens = usage.OutputTokenDetails?.TextTokenCount ?? 0,
    };

    /// <summary>From <c>{"input_tokens", "input_tokens_details":{text_tokens, image_tokens}, "output_tokens", …}</c>; null when absent.</summary>
    public static Usage? From(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var input = Number(usage, "input_tokens");
        var output = Number(usage, "output_tokens");
        var total = Number(usage, "total_tokens");
        return new Usage
        {
            InputTokens = input,
            OutputTokens = output,
            TotalTokens = total > 0 ? total : input + output,
            InputTextTokens = Detail(usage, "input_tokens_details", "text_tokens"),
            InputImageTokens = Detail(usage, "input_tokens_details", "image_tokens"),
            OutputImageTokens = Detail(usage, "output_tokens_details", "image_tokens"),
            OutputTextTokens = Detail(usage, "output_tokens_details", "text_tokens"),
        };
    }

    private static long Detail(JsonElement usage, string details, string name) =>
        usage.TryGetProperty(details, out var d) && d.ValueKind == JsonValueKind.Object ? Number(d, name) : 0;

    private static long Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : 0;
}
