using System.Globalization;
using System.Text.Json.Nodes;
using OpenAI.Images;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers;

namespace OpenAI.Adapter.Images;

/// <summary>
/// A <see cref="ProviderRequest"/> as the SDK's generation options, and the value rules every OpenAI request shares.
/// Empty fields stay unset (the provider's default); <c>extra</c> may carry <c>style</c>, <c>moderation</c>,
/// <c>response_format</c> (DALL·E: url | b64_json), <c>input_fidelity</c> (edits) and <c>host_model</c> (Responses).
/// </summary>
internal static class ImageRequestOptions
{
    public static ImageGenerationOptions ForGeneration(ProviderRequest request)
    {
        var extra = request.ExtraAsJson();
        return new ImageGenerationOptions
        {
            Size = Size(request.Size),
            Quality = Optional(request.Quality, v => new GeneratedImageQuality(v)),
            Background = Optional(request.Background, v => new GeneratedImageBackground(v)),
            OutputFileFormat = Optional(OutputFormat(request), v => new GeneratedImageFileFormat(v)),
            OutputCompressionFactor = request.OutputCompression > 0 ? request.OutputCompression : null,
            ResponseFormat = Optional(Extra(extra, "response_format"), v => new GeneratedImageFormat(v)),
            Style = Optional(Extra(extra, "style"), v => new GeneratedImageStyle(v)),
            ModerationLevel = Optional(Extra(extra, "moderation"), v => new GeneratedImageModerationLevel(v)),
            EndUserId = request.RunId.Length > 0 ? request.RunId : null,
        };
    }

    /// <summary>DALL·E models take none of the GPT image fields (output_format, background, streaming, …).</summary>
    public static bool IsDallE(string model) => model.StartsWith("dall-e", StringComparison.Ordinal);

    /// <summary>"WxH" → width and height; null for empty or "auto".</summary>
    public static (int Width, int Height)? Dimensions(string size)
    {
        if (size.Length == 0 || size == "auto")
        {
            return null;
        }
        var x = size.IndexOf('x', StringComparison.Ordinal);
        if (x > 0
            && int.TryParse(size.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            && int.TryParse(size.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var height)
            && width > 0 && height > 0)
        {
            return (width, height);
        }
        throw new ProviderException(ProviderFailureKind.InvalidRequest, $"size '{size}' is neither \"WIDTHxHEIGHT\" (e.g. 1024x1024) nor \"auto\".")
        {
            Param = "size",
        };
    }

    /// <summary>
    /// The SDK's value for a non-empty <paramref name="value"/>, else null (unset). Generic on purpose: the SDK's value types
    /// convert implicitly from string, so an inline <c>x ? new T(v) : null</c> would turn null into <c>new T(null)</c> and throw.
    /// </summary>
    public static T? Optional<T>(string? value, Func<string, T> create) where T : struct =>
        string.IsNullOrEmpty(value) ? null : create(value);

    /// <summary>A string value of <c>extra</c>, or null.</summary>
    public static string? Extra(JsonObject extra, string name) =>
        extra.TryGetPropertyValue(name, out var value) && value is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : null;

    private static GeneratedImageSize? Size(string size) => size == "auto"
        ? GeneratedImageSize.Auto
        : Dimensions(size) is var (width, height) ? new GeneratedImageSize(width, height) : default(GeneratedImageSize?);

    /// <summary>The output_format to send, or null. DALL·E only makes PNG and rejects the field, so "png" is not sent to it.</summary>
    public static string? OutputFormat(ProviderRequest request) =>
        request.OutputFormat.Length == 0 || (IsDallE(request.Model) && request.OutputFormat == "png") ? null : request.OutputFormat;
}
