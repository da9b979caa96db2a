using System.Buffers;
using Google.Protobuf;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.ImageGen.V1;
using Grpc.Core;
using Pipeline.Imaging;
using Router.Service.Catalogue;
using Pipeline.ServiceDefaults.Security;
using Router.Service.Storage;

namespace Router.Service.Generation;

/// <summary>
/// Turns a request's input images and mask into bytes for the adapter: inline bytes and <c>data:</c> URIs are decoded
/// and verified (<see cref="ImageVerifier"/>: a complete PNG, JPEG or WebP within <see cref="ImageLimits"/>, checked on the
/// header before anything else), stored image ids are read from Storage.Service (which verified them when they were stored). Plain http(s) URLs are refused (the router does not
/// fetch from the internet; send the bytes or store the image first).
/// </summary>
public sealed class InputImageResolver(RunStore store)
{
    private const int MaxImageIdLength = 80;
    private static readonly SearchValues<char> s_idCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    /// <summary>
    /// Adds a violation for every input image or mask that cannot be used as given (no I/O): no source, an http(s) URL,
    /// a malformed image id, or inline bytes that are not a complete PNG, JPEG or WebP within <paramref name="limits"/>.
    /// </summary>
    public static void Check(GenerateRequest request, List<ParameterViolation> violations, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limits);
        for (var i = 0; i < request.InputImages.Count; i++)
        {
            Check(request.InputImages[i], $"input_images[{i}]", violations, limits);
        }
        if (request.Mask is { } mask)
        {
            Check(mask, "mask", violations, limits);
        }
    }

    /// <summary>The input images and mask as bytes with their MIME types. Call after <see cref="Check(GenerateRequest, List{ParameterViolation}, ImageLimits)"/> found nothing.</summary>
    public async Task<(IReadOnlyList<InputImage> Images, InputImage? Mask)> ResolveAsync(GenerateRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var images = new List<InputImage>(request.InputImages.Count);
        for (var i = 0; i < request.InputImages.Count; i++)
        {
            images.Add(await ResolveAsync(request.InputImages[i], $"input_images[{i}]", caller, cancellationToken));
        }
        var mask = request.Mask is { } m ? await ResolveAsync(m, "mask", caller, cancellationToken) : null;
        return (images, mask);
    }

    private static void Check(InputImage image, string field, List<ParameterViolation> violations, ImageLimits limits)
    {
        switch (image.SourceCase)
        {
            case InputImage.SourceOneofCase.Data:
                if (Problem(image.Data.Span, limits) is { } dataProblem)
                {
                    violations.Add(new($"{field}.data", $"{field}.data {dataProblem}"));
                }
                break;
            case InputImage.SourceOneofCase.Url when image.Url.StartsWith("data:", StringComparison.OrdinalIgnoreCase):
                if (DecodeDataUri(image.Url, out var problem) is not { } bytes)
                {
                    violations.Add(new($"{field}.url", $"{field}.url is not a usable data: URI: {problem}"));
                }
                else if (Problem(bytes, limits) is { } urlProblem)
                {
                    violations.Add(new($"{field}.url", $"{field}.url {urlProblem}"));
                }
                break;
            case InputImage.SourceOneofCase.Url:
                violations.Add(new($"{field}.url", $"{field}.url: the router does not fetch http(s) URLs; send the bytes in data, a data:image/...;base64 URI, or the image_id of a stored image"));
                break;
            case InputImage.SourceOneofCase.ImageId:
                if (image.ImageId.Length > MaxImageIdLength || image.ImageId.AsSpan().IndexOfAnyExcept(s_idCharacters) >= 0)
                {
                    violations.Add(new($"{field}.image_id", $"{field}.image_id '{Printable(image.ImageId)}' is not an image id; use 1-{MaxImageIdLength} characters from [A-Za-z0-9_-]"));
                }
                break;
            default:
                violations.Add(new(field, $"{field} has no source; set one of data, url or image_id"));
                break;
        }
    }

    private async Task<InputImage> ResolveAsync(InputImage image, string field, Caller caller, CancellationToken cancellationToken)
    {
        ByteString data;
        switch (image.SourceCase)
        {
            case InputImage.SourceOneofCase.Data:
                data = image.Data;
                break;
            case InputImage.SourceOneofCase.Url:
                data = ByteString.CopyFrom(DecodeDataUri(image.Url, out _)!);
                break;
            default:
                data = await ReadStoredAsync(image.ImageId, field, caller, cancellationToken);
                break;
        }
        return new InputImage
        {
            Data = data,
            MimeType = ImageInspector.Inspect(data.Span).MimeType,
            Filename = image.Filename,
        };
    }

    private async Task<ByteString> ReadStoredAsync(string imageId, string field, Caller caller, CancellationToken cancellationToken)
    {
        try
        {
            return (await store.ReadImageAsync(imageId, caller, cancellationToken)).Data;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            throw RouterException.Invalid([new($"{field}.image_id", $"{field}.image_id '{imageId}' is not a stored image")]);
        }
        catch (RpcException ex) when (StorageFailures.IsTransient(ex) && ex.StatusCode != StatusCode.Cancelled)
        {
            throw RouterException.StorageUnavailable($"{field}.image_id '{imageId}' cannot be read", ex);
        }
    }

    /// <summary>Null for a complete image within <paramref name="limits"/>, else what is wrong, to follow the field name.</summary>
    private static string? Problem(ReadOnlySpan<byte> data, ImageLimits limits)
    {
        if (!ImageInspector.TryInspect(data, out var header))
        {
            return $"is not a PNG, JPEG or WebP image ({data.Length} bytes)";
        }
        if (limits.Check(header) is { } tooLarge)
        {
            return $"is refused: {tooLarge}";
        }
        return ImageVerifier.TryVerify(data, limits, out _, out var problem) ? null : $"is not a complete image: {problem}";
    }

    /// <summary>The bytes of a base64 <c>data:</c> URI, or null with the reason.</summary>
    private static byte[]? DecodeDataUri(string uri, out string problem)
    {
        var comma = uri.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            problem = "it has no ',' before the data";
            return null;
        }
        var header = uri.AsSpan(5, comma - 5);
        if (!header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            problem = "only base64 data: URIs are accepted (data:image/png;base64,...)";
            return null;
        }
        try
        {
            problem = "";
            return Convert.FromBase64String(uri[(comma + 1)..]);
        }
        catch (FormatException)
        {
            problem = "its data is not valid base64";
            return null;
        }
    }

    private static string Printable(string value) =>
        new([.. (value.Length > 100 ? value[..100] : value).Select(c => char.IsControl(c) ? '?' : c)]);
}
