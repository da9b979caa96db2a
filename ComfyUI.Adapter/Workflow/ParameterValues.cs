using System.Globalization;
using System.Text.Json.Nodes;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers;

namespace ComfyUI.Adapter.Workflow;

/// <summary>
/// A call's parameter values by the names input_mappings uses, as <c>ChunkCall</c> defines them: "prompt" is the prompt; size,
/// quality, n, output_format, background, partial_images and output_compression are the typed fields when set; width and
/// height come from a "WxH" size; every other name (seed, steps, cfg, sampler, negative_prompt, …) from request.extra.
/// </summary>
internal sealed class ParameterValues(ProviderRequest request)
{
    private readonly JsonObject _extra = request.ExtraAsJson();
    private readonly (int Width, int Height)? _size = ParseSize(request.Size);

    /// <summary>The call's value for <paramref name="name"/>, or null when it has none.</summary>
    public JsonNode? Find(string name) => name switch
    {
        "prompt" => request.Prompt,
        "size" => Text(request.Size),
        "quality" => Text(request.Quality),
        "n" => Positive(request.N),
        "output_format" => Text(request.OutputFormat),
        "background" => Text(request.Background),
        "partial_images" => Positive(request.PartialImages),
        "output_compression" => Positive(request.OutputCompression),
        "width" when _size is { } size => size.Width,
        "height" when _size is { } size => size.Height,
        _ => _extra[name]?.DeepClone(),
    };

    private static JsonNode? Text(string value) => value.Length > 0 ? value : null;

    private static JsonNode? Positive(int value) => value > 0 ? value : null;

    private static (int, int)? ParseSize(string size)
    {
        var x = size.IndexOf('x', StringComparison.OrdinalIgnoreCase);
        return x > 0
            && int.TryParse(size.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            && int.TryParse(size.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var height)
            ? (width, height)
            : null;
    }
}
