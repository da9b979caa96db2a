namespace ProviderEmulator.OpenAI.Images;

/// <summary>The per-model parameter rules of the Images API.</summary>
/// <param name="Name">Model id.</param>
/// <param name="IsGpt">A GPT image model (base64 only; background, output_format, stream …).</param>
/// <param name="Sizes">Allowed <c>size</c> values (besides <c>auto</c> for GPT models); null = any WxH in multiples of 16.</param>
/// <param name="DefaultSize">What <c>auto</c> or no size means.</param>
/// <param name="Qualities">Allowed <c>quality</c> values.</param>
/// <param name="MaxN">Largest <c>n</c>.</param>
/// <param name="MaxPromptLength">Largest prompt, in characters.</param>
/// <param name="CanEdit">Supported by /v1/images/edits.</param>
internal sealed record ImageModel(
    string Name, bool IsGpt, string[]? Sizes, string DefaultSize, string[] Qualities, int MaxN, int MaxPromptLength, bool CanEdit)
{
    private static readonly string[] GptSizes = ["1024x1024", "1536x1024", "1024x1536"];
    private static readonly string[] GptQualities = ["auto", "low", "medium", "high"];

    public static readonly IReadOnlyList<ImageModel> All =
    [
        new("gpt-image-1", true, GptSizes, "1024x1024", GptQualities, 10, 32000, true),
        new("gpt-image-1-mini", true, GptSizes, "1024x1024", GptQualities, 10, 32000, true),
        new("gpt-image-1.5", true, GptSizes, "1024x1024", GptQualities, 10, 32000, true),
        new("gpt-image-2", true, null, "1024x1024", GptQualities, 10, 32000, true),
        new("dall-e-3", false, ["1024x1024", "1792x1024", "1024x1792"], "1024x1024", ["standard", "hd"], 1, 4000, false),
        new("dall-e-2", false, ["256x256", "512x512", "1024x1024"], "1024x1024", ["standard"], 10, 1000, true),
    ];

    public bool IsDallE3 => Name == "dall-e-3";

    public bool IsDallE2 => Name == "dall-e-2";

    public static ImageModel? Find(string name) => All.FirstOrDefault(m => m.Name == name);
}
