using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.ImageGen.V1;
using Router.Service.Catalogue;

namespace Router.Service.Generation;

/// <summary>
/// What a request asked for, part by part, as storage keeps it with the run (<c>RunRecord.request_digest</c>): the same
/// run id replays only for the same request, and a different one is told which parts differ. Values are SHA-256 hex
/// (the config part is the name asked for), so no prompt or image is kept twice.
/// </summary>
public static class RequestDigest
{
    public const string Prompt = "prompt";
    public const string Config = "config";
    public const string Parameters = "parameters";
    public const string InputImages = "input_images";
    public const string Mask = "mask";

    /// <summary>The <see cref="InputImages"/> digest of a request without input images.</summary>
    private static readonly string NoInputImages = Sha256(""u8);

    /// <summary>The digest of <paramref name="request"/>, with its input images and mask already resolved to bytes.</summary>
    public static IReadOnlyDictionary<string, string> Create(
        GenerateRequest request, ImageParameters requestedParameters, IReadOnlyList<InputImage> inputImages, InputImage? mask)
    {
        var parameters = new StringBuilder();
        foreach (var (name, value) in requestedParameters.ToDictionary())
        {
            parameters.Append(name).Append('=').Append(Canonical(value)).Append('\n');
        }
        var images = new StringBuilder();
        foreach (var image in inputImages)
        {
            images.Append(Sha256(image.Data.Span)).Append('\n');
        }
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [Prompt] = Sha256(Encoding.UTF8.GetBytes(request.Prompt)),
            [Config] = request.Config.Length > 0
                ? request.Config
                : $"default of {Or(request.MediaType, CatalogueSnapshot.DefaultMediaType)}/{Or(request.Mode, CatalogueSnapshot.DefaultMode)}",
            [Parameters] = Sha256(Encoding.UTF8.GetBytes(parameters.ToString())),
            [InputImages] = Sha256(Encoding.UTF8.GetBytes(images.ToString())),
            [Mask] = mask is null ? "" : Sha256(mask.Data.Span),
        };
    }

    /// <summary>Whether the request a digest was made of had input images or a mask.</summary>
    public static bool UsedInputImages(IDictionary<string, string> digest) =>
        (digest.TryGetValue(InputImages, out var images) && images != NoInputImages) || (digest.TryGetValue(Mask, out var mask) && mask.Length > 0);

    private static string Or(string value, string fallback) => value.Length > 0 ? value : fallback;

    private static string Canonical(object value) => value switch
    {
        JsonElement json => json.GetRawText(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
