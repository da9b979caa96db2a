using System.Buffers;
using System.Security.Cryptography;
using Google.Protobuf;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Imaging;
using Pipeline.Providers.Internal;

namespace Pipeline.Providers;

/// <summary>
/// Turns every image a provider returns — pure base64, a data URI or an http(s) URL — into <see cref="VerifiedImage"/>s,
/// and those into frames, each verified complete and within <see cref="ImageDownloadOptions.Dimensions"/> before it becomes a
/// frame. Images above <see cref="ImageDownloadOptions.MaxBytes"/> are refused, inline or downloaded. URLs are
/// downloaded with a timeout, and never from loopback, private or
/// link-local addresses (checked on the resolved addresses) unless <see cref="ImageDownloadOptions.AllowPrivateNetworks"/>.
/// </summary>
public sealed class ImageNormalizer
{
    /// <summary>Name of the HttpClient used for downloads.</summary>
    public const string DownloadClientName = "Pipeline.Providers.ImageDownload";

    private readonly HttpClient _download;
    private readonly ImageDownloadOptions _options;

    /// <param name="download">
    /// The download client; its primary handler must come from <see cref="CreateDownloadHandler"/> so addresses are checked.
    /// </param>
    /// <param name="options">Size cap, timeout, private networks.</param>
    public ImageNormalizer(HttpClient download, ImageDownloadOptions options)
    {
        _download = download;
        _options = options;
    }

    /// <summary>A handler that refuses loopback, private and link-local targets (after DNS) unless allowed, and follows no redirects to them.</summary>
    public static SocketsHttpHandler CreateDownloadHandler(ImageDownloadOptions options) => DownloadGuard.CreateHandler(options);

    /// <summary>
    /// Verifies <paramref name="source"/> (base64, data URI or URL). <paramref name="field"/> names the provider field in
    /// errors, e.g. "data[0].b64_json". Invalid → <see cref="ProviderException"/> (MalformedResponse).
    /// </summary>
    public async Task<VerifiedImage> NormalizeAsync(string source, string field, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        var text = source.AsSpan().Trim();
        if (text.IsEmpty)
        {
            throw Malformed($"{field} is empty");
        }
        if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return FromBytes(DecodeDataUri(text, field, _options.MaxBytes), field);
        }
        if (text.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            var bytes = await ImageDownloader.DownloadAsync(_download, _options, new Uri(text.ToString()), field, ct);
            return FromBytes(bytes, field);
        }
        return FromBytes(DecodeBase64(text, field, _options.MaxBytes), field);
    }

    /// <summary>
    /// Verifies the bytes as <see cref="ImageVerifier"/> does: a PNG, JPEG or WebP within
    /// <see cref="ImageDownloadOptions.Dimensions"/> (checked on the header first) and complete (PNG through IEND, JPEG to EOI,
    /// WebP's RIFF size). Anything else → MalformedResponse naming <paramref name="field"/> and saying exactly what is wrong.
    /// </summary>
    public VerifiedImage FromBytes(ReadOnlyMemory<byte> data, string field)
    {
        if (data.IsEmpty)
        {
            throw Malformed($"{field} holds no image bytes");
        }
        var span = data.Span;
        ImageInfo header;
        try
        {
            header = ImageInspector.Inspect(span);
        }
        catch (InvalidImageException ex)
        {
            throw ImageInspector.DetectFormat(span) is null
                ? Malformed($"{field} is {ex.Message}")
                : Malformed($"{field} is a broken image: {ex.Message}");
        }
        if (_options.Dimensions.Check(header) is { } tooLarge)
        {
            throw Malformed($"{field} is refused: {tooLarge}");
        }
        if (!ImageVerifier.TryVerify(span, _options.Dimensions, out var info, out var problem))
        {
            throw Malformed($"{field} is not a complete image: {problem}");
        }
        var bytes = data.ToArray();
        return new VerifiedImage(bytes, info.Format, info.Width, info.Height, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>A FinalImage with data, mime type, width, height and sha256 filled.</summary>
    public FinalImage ToFinalImage(VerifiedImage image, int imageIndex) => new()
    {
        ImageIndex = imageIndex,
        Data = UnsafeByteOperations.UnsafeWrap(image.Data),
        MimeType = image.MimeType,
        Width = image.Width,
        Height = image.Height,
        Sha256 = image.Sha256,
    };

    /// <summary>A PartialImage with data and mime type filled.</summary>
    public PartialImage ToPartialImage(VerifiedImage image, int imageIndex, int partialIndex) => new()
    {
        ImageIndex = imageIndex,
        PartialIndex = partialIndex,
        Data = UnsafeByteOperations.UnsafeWrap(image.Data),
        MimeType = image.MimeType,
    };

    private static byte[] DecodeDataUri(ReadOnlySpan<char> uri, string field, long maxBytes)
    {
        var comma = uri.IndexOf(',');
        if (comma < 0)
        {
            throw Malformed($"{field} is a data URI without a comma");
        }
        var header = uri[5..comma];
        if (!header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            throw Malformed($"{field} is a data URI that is not base64-encoded");
        }
        return DecodeBase64(uri[(comma + 1)..], field, maxBytes);
    }

    private static byte[] DecodeBase64(ReadOnlySpan<char> base64, string field, long maxBytes)
    {
        var decodedLength = (long)base64.TrimEnd('=').Length * 3 / 4;
        if (decodedLength > maxBytes)
        {
            throw Malformed($"{field} is {decodedLength} bytes, more than the image cap of {maxBytes} bytes");
        }
        var buffer = ArrayPool<byte>.Shared.Rent((base64.Length / 4 * 3) + 3);
        try
        {
            if (!Convert.TryFromBase64Chars(base64, buffer, out var written))
            {
                throw Malformed($"{field} is not valid base64 ({base64.Length} characters)");
            }
            return buffer.AsSpan(0, written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ProviderException Malformed(string message) => new(ProviderFailureKind.MalformedResponse, message);
}
