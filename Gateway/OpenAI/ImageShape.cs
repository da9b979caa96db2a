using Google.Protobuf.WellKnownTypes;
using Pipeline.Contracts.ImageGen.V1;

namespace Gateway.OpenAI;

/// <summary>
/// The values OpenAI echoes with every image (<c>size</c>, <c>quality</c>, <c>background</c>, <c>output_format</c>):
/// the request's, else the config's effective defaults, else <c>auto</c>/<c>png</c>. A finished image's real size
/// and format come from its Final frame.
/// </summary>
public sealed record ImageShape(string Size, string Quality, string Background, string OutputFormat)
{
    public static ImageShape From(ImageRequest request, ConfigInfo? config) => new(
        request.Size ?? Parameter(config, "size") ?? "auto",
        request.Quality ?? Parameter(config, "quality") ?? "auto",
        request.Background ?? Parameter(config, "background") ?? "auto",
        request.OutputFormat ?? Parameter(config, "output_format") ?? "png");

    /// <summary>The size of a finished image, "WIDTHxHEIGHT", when its header was read.</summary>
    public string SizeOf(Final image) => image.Width > 0 && image.Height > 0 ? $"{image.Width}x{image.Height}" : Size;

    /// <summary>The format of a finished image, from its MIME type.</summary>
    public string FormatOf(Final image) => image.MimeType switch
    {
        "image/png" => "png",
        "image/jpeg" => "jpeg",
        "image/webp" => "webp",
        _ => OutputFormat,
    };

    private static string? Parameter(ConfigInfo? config, string name) =>
        config?.Parameters?.Fields.TryGetValue(name, out var value) == true && value.KindCase == Value.KindOneofCase.StringValue ? value.StringValue : null;
}
