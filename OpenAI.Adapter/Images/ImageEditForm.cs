using System.ClientModel;
using System.Globalization;
using System.Net.Http.Headers;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Imaging;
using Pipeline.Providers;

namespace OpenAI.Adapter.Images;

/// <summary>
/// The multipart/form-data body of POST /images/edits. SDK 2.15.0's typed edit methods upload one image and cannot stream
/// (and <see cref="OpenAI.Images.ImageEditOptions"/> serialises only inside those methods), so the form is built here and
/// sent with the SDK's protocol methods: the images as repeated <c>image[]</c> parts (one image: <c>image</c>), the mask
/// as <c>mask</c>, and the parameters as text parts.
/// </summary>
internal sealed class ImageEditForm
{
    private ImageEditForm(BinaryContent content, string contentType)
    {
        Content = content;
        ContentType = contentType;
    }

    public BinaryContent Content { get; }

    /// <summary>multipart/form-data with its boundary.</summary>
    public string ContentType { get; }

    public static async Task<ImageEditForm> CreateAsync(ProviderRequest request, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        var imageField = request.InputImages.Count == 1 ? "image" : "image[]";
        for (var index = 0; index < request.InputImages.Count; index++)
        {
            form.Add(File(request.InputImages[index], $"input_images[{index}]", out var name, $"image-{index}"), imageField, name);
        }
        if (request.Mask is { } mask)
        {
            form.Add(File(mask, "mask", out var name, "mask"), "mask", name);
        }
        foreach (var (field, value) in TextFields(request))
        {
            form.Add(new StringContent(value), field);
        }
        using var buffer = new MemoryStream();
        await form.CopyToAsync(buffer, cancellationToken);
        return new ImageEditForm(BinaryContent.Create(new BinaryData(buffer.ToArray())), form.Headers.ContentType!.ToString());
    }

    /// <summary>The text fields, by the same rules as generations: empty request fields are left to the provider's default.</summary>
    private static IEnumerable<(string Field, string Value)> TextFields(ProviderRequest request)
    {
        var extra = request.ExtraAsJson();
        var fields = new List<(string, string?)>
        {
            ("model", request.Model),
            ("prompt", request.Prompt),
            ("n", request.ImageCount().ToString(CultureInfo.InvariantCulture)),
            ("size", request.Size),
            ("quality", request.Quality),
            ("background", request.Background),
            ("output_format", ImageRequestOptions.OutputFormat(request)),
            ("output_compression", request.OutputCompression > 0 ? request.OutputCompression.ToString(CultureInfo.InvariantCulture) : null),
            ("input_fidelity", ImageRequestOptions.Extra(extra, "input_fidelity")),
            ("response_format", ImageRequestOptions.Extra(extra, "response_format")),
            ("user", request.RunId),
        };
        if (request.PartialImages > 0)
        {
            fields.Add(("stream", "true"));
            fields.Add(("partial_images", request.PartialImages.ToString(CultureInfo.InvariantCulture)));
        }
        return fields.Where(f => !string.IsNullOrEmpty(f.Item2)).Select(f => (f.Item1, f.Item2!));
    }

    /// <summary>A file part; the type comes from the magic bytes (the mime_type field only when they say nothing).</summary>
    private static ByteArrayContent File(InputImage image, string field, out string fileName, string defaultName)
    {
        var bytes = image.Data.ToByteArray();
        var format = ImageInspector.DetectFormat(bytes);
        var mimeType = format?.ToMimeType() ?? (image.MimeType.Length > 0 ? image.MimeType : null)
            ?? throw new ProviderException(ProviderFailureKind.InvalidRequest, $"{field} is not a PNG, JPEG or WebP image.") { Param = field };
        fileName = image.Filename.Length > 0 ? image.Filename : $"{defaultName}.{format?.ToExtension() ?? "png"}";
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue(mimeType);
        return part;
    }
}
