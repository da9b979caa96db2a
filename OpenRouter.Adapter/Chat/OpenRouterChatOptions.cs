namespace OpenRouter.Adapter.Chat;

/// <summary>What the chat request needs beyond <c>ProviderOptions</c> (section <c>OpenRouter</c>).</summary>
public sealed record OpenRouterChatOptions
{
    /// <summary>
    /// Models that output images only and therefore need <c>"modalities":["image"]</c> (others get <c>["image","text"]</c>).
    /// Default none. A request's <c>extra.modalities</c> overrides both.
    /// </summary>
    public IReadOnlyList<string> ImageOnlyModels { get; init; } = [];

    public static OpenRouterChatOptions Load(IConfiguration section) => section.Get<OpenRouterChatOptions>() ?? new OpenRouterChatOptions();

    public bool IsImageOnly(string model) => ImageOnlyModels.Contains(model, StringComparer.Ordinal);
}
