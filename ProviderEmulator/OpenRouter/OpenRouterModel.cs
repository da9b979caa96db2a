using System.Text.Json.Nodes;

namespace ProviderEmulator.OpenRouter;

/// <summary>An image-output model in the emulator's OpenRouter catalogue (prices are illustrative USD strings).</summary>
internal sealed record OpenRouterModel(string Id, string Name, string Provider, bool OutputsText, string PromptPrice, string CompletionPrice, string ImagePrice)
{
    public static readonly IReadOnlyList<OpenRouterModel> All =
    [
        new("google/gemini-2.5-flash-image", "Google: Gemini 2.5 Flash Image", "Google AI Studio", true, "0.0000003", "0.0000025", "0.001238"),
        new("google/gemini-3-pro-image-preview", "Google: Nano Banana Pro (Gemini 3 Pro Image Preview)", "Google AI Studio", true, "0.000002", "0.000012", "0.067"),
        new("openai/gpt-5-image", "OpenAI: GPT-5 Image", "OpenAI", true, "0.00001", "0.00001", "0.01"),
        new("openai/gpt-5-image-mini", "OpenAI: GPT-5 Image Mini", "OpenAI", true, "0.0000025", "0.000002", "0.003"),
        new("black-forest-labs/flux.2-pro", "Black Forest Labs: FLUX.2 Pro", "Black Forest Labs", false, "0", "0", "0.03"),
        new("sourceful/riverflow-v2-fast-preview", "Sourceful: Riverflow V2 Fast Preview", "Sourceful", false, "0", "0", "0.02"),
    ];

    public static OpenRouterModel? Find(string id) => All.FirstOrDefault(m => m.Id == id);

    public JsonObject ToJson()
    {
        var output = OutputsText ? new JsonArray("image", "text") : new JsonArray("image");
        return new JsonObject
        {
            ["id"] = Id,
            ["canonical_slug"] = Id,
            ["hugging_face_id"] = "",
            ["name"] = Name,
            ["created"] = 1756000000,
            ["description"] = $"{Name} (served by the Pipeline provider emulator).",
            ["context_length"] = 32768,
            ["architecture"] = new JsonObject
            {
                ["modality"] = OutputsText ? "text+image->text+image" : "text+image->image",
                ["input_modalities"] = new JsonArray("image", "text"),
                ["output_modalities"] = output,
                ["tokenizer"] = OutputsText ? "Gemini" : "Other",
                ["instruct_type"] = null,
            },
            ["pricing"] = new JsonObject
            {
                ["prompt"] = PromptPrice,
                ["completion"] = CompletionPrice,
                ["request"] = "0",
                ["image"] = ImagePrice,
                ["image_output"] = ImagePrice,
                ["image_token"] = "0",
                ["web_search"] = "0",
                ["internal_reasoning"] = "0",
                ["input_cache_read"] = "0",
                ["input_cache_write"] = "0",
            },
            ["top_provider"] = new JsonObject { ["context_length"] = 32768, ["max_completion_tokens"] = 8192, ["is_moderated"] = false },
            ["per_request_limits"] = null,
            ["supported_parameters"] = new JsonArray("max_tokens", "modalities", "image_config", "seed", "temperature", "top_p", "stream"),
            ["default_parameters"] = new JsonObject(),
            ["expiration_date"] = null,
            ["links"] = new JsonObject { ["details"] = $"/api/v1/models/{Id}/endpoints" },
        };
    }
}
