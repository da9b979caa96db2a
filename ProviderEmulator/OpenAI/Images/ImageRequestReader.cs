using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.Imaging;
using ProviderEmulator.Hosting;
using ProviderEmulator.Rendering;

namespace ProviderEmulator.OpenAI.Images;

/// <summary>Reads /v1/images/generations and /v1/images/edits requests and applies the per-model rules.</summary>
internal static class ImageRequestReader
{
    private const int MaxInputImages = 16;
    private const long MaxGptImageBytes = 50L * 1024 * 1024;
    private const long MaxDallE2ImageBytes = 4L * 1024 * 1024;

    private static readonly HashSet<string> GenerationParameters =
    [
        "prompt", "model", "n", "size", "quality", "background", "output_format", "output_compression", "moderation",
        "response_format", "style", "user", "stream", "partial_images",
    ];

    private static readonly HashSet<string> EditParameters =
    [
        "image", "image[]", "mask", "prompt", "model", "n", "size", "quality", "background", "output_format", "output_compression",
        "user", "stream", "partial_images", "input_fidelity", "response_format",
    ];

    private static readonly string[] GptOnly = ["background", "output_format", "output_compression", "moderation", "stream", "partial_images", "input_fidelity"];

    public static async Task<ImageJob> ReadGenerationAsync(HttpRequest request)
    {
        var parameters = ImageParameters.FromJson(await ReadJsonAsync(request));
        RejectUnknown(parameters, GenerationParameters);
        var defaultModel = GptOnly.Any(parameters.Has) ? "gpt-image-1" : "dall-e-2";
        return Resolve(parameters, defaultModel, isEdit: false, edit: null, inputCount: 0);
    }

    public static async Task<ImageJob> ReadEditAsync(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            return await ReadJsonEditAsync(request);
        }

        var form = await MultipartForm.ReadAsync(request);
        var parameters = ImageParameters.FromFields(form.Fields);
        foreach (var name in parameters.Names.Concat(form.Files.Select(f => f.Name)).Distinct())
        {
            if (!EditParameters.Contains(name))
            {
                throw new ApiErrorException(ApiError.UnknownParameter(name));
            }
        }

        var inputs = form.Files.Where(f => f.Name is "image" or "image[]").Select(f => f.Content).ToList();
        var mask = form.Files.FirstOrDefault(f => f.Name == "mask").Content;
        var model = ImageModel.Find(parameters.String("model") ?? "gpt-image-1.5");
        var edit = BuildEdit(inputs, mask, model);
        return Resolve(parameters, "gpt-image-1.5", isEdit: true, edit, inputs.Count);
    }

    private static async Task<ImageJob> ReadJsonEditAsync(HttpRequest request)
    {
        var root = await ReadJsonAsync(request);
        var parameters = ImageParameters.FromJson(root);
        HashSet<string> allowed = [.. EditParameters, "images", "moderation"];
        RejectUnknown(parameters, allowed);
        var inputs = new List<byte[]>();
        if (parameters.Json("images") is { ValueKind: JsonValueKind.Array } array)
        {
            foreach (var reference in array.EnumerateArray())
            {
                inputs.Add(ReadImageReference(reference, "images"));
            }
        }

        var mask = parameters.Json("mask") is { } maskRef ? ReadImageReference(maskRef, "mask") : null;
        var model = ImageModel.Find(parameters.String("model") ?? "gpt-image-1.5");
        if (model is { IsGpt: false })
        {
            throw new ApiErrorException(ApiError.InvalidValue("model", $"The JSON edit format is only supported for GPT image models, not '{model.Name}'."));
        }

        return Resolve(parameters, "gpt-image-1.5", isEdit: true, BuildEdit(inputs, mask, model), inputs.Count);
    }

    private static ImageJob Resolve(ImageParameters p, string defaultModel, bool isEdit, EditInput? edit, int inputCount)
    {
        var modelName = p.String("model") ?? defaultModel;
        var model = ImageModel.Find(modelName)
            ?? throw new ApiErrorException(new ApiError(404, $"The model `{modelName}` does not exist or you do not have access to it.", Code: "model_not_found"));
        if (isEdit && !model.CanEdit)
        {
            throw new ApiErrorException(ApiError.InvalidValue("model", $"Invalid model {model.Name}. The model must be one of gpt-image-1, gpt-image-1-mini, gpt-image-1.5, gpt-image-2 or dall-e-2 for image edits."));
        }

        var prompt = p.String("prompt");
        if (string.IsNullOrEmpty(prompt))
        {
            throw new ApiErrorException(ApiError.MissingParameter("prompt"));
        }

        if (prompt.Length > model.MaxPromptLength)
        {
            throw new ApiErrorException(new ApiError(400, $"Invalid 'prompt': string too long. Expected a string with maximum length {model.MaxPromptLength}, but got a string with length {prompt.Length} instead.", Param: "prompt", Code: "string_above_max_length"));
        }

        if (isEdit && inputCount == 0)
        {
            throw new ApiErrorException(ApiError.MissingParameter("image"));
        }

        if (!model.IsGpt)
        {
            foreach (var name in GptOnly.Append("moderation"))
            {
                if (p.Has(name))
                {
                    throw new ApiErrorException(ApiError.UnknownParameter(name));
                }
            }
        }
        else
        {
            foreach (var name in new[] { "response_format", "style" })
            {
                if (p.Has(name))
                {
                    throw new ApiErrorException(ApiError.UnknownParameter(name));
                }
            }
        }

        if (!model.IsDallE3 && p.Has("style"))
        {
            throw new ApiErrorException(ApiError.UnknownParameter("style"));
        }

        var n = p.Int("n", 1, 10) ?? 1;
        if (n > model.MaxN)
        {
            throw new ApiErrorException(ApiError.InvalidValue("n", $"Invalid 'n': {model.Name} only supports n={model.MaxN}."));
        }

        var (width, height) = ResolveSize(p.String("size"), model);
        var quality = ResolveQuality(p, model, isEdit);
        p.OneOf("style", "vivid", "natural");
        p.OneOf("moderation", "low", "auto");
        var fidelity = p.OneOf("input_fidelity", "high", "low");
        if (fidelity is not null && model.Name == "gpt-image-1-mini")
        {
            throw new ApiErrorException(ApiError.InvalidValue("input_fidelity", "input_fidelity is not supported for gpt-image-1-mini."));
        }

        var format = p.OneOf("output_format", "png", "jpeg", "webp") switch
        {
            "jpeg" => ImageFormat.Jpeg,
            "webp" => ImageFormat.WebP,
            _ => ImageFormat.Png,
        };
        var compression = p.Int("output_compression", 0, 100);
        if (compression is < 100 && format == ImageFormat.Png)
        {
            throw new ApiErrorException(ApiError.InvalidValue("output_compression", "Compression less than 100 is not supported for PNG output format."));
        }

        var background = p.OneOf("background", "transparent", "opaque", "auto") ?? "auto";
        if (background == "transparent" && format == ImageFormat.Jpeg)
        {
            throw new ApiErrorException(ApiError.InvalidValue("background", "Transparent background is not supported for jpeg output format. Use png or webp."));
        }

        var responseFormat = p.OneOf("response_format", "url", "b64_json");
        var stream = p.Bool("stream") ?? false;
        var partials = p.Int("partial_images", 0, 3) ?? 0;
        var user = p.String("user");

        return new ImageJob
        {
            Model = model,
            Prompt = prompt,
            IsEdit = isEdit,
            N = n,
            Width = width,
            Height = height,
            Quality = quality,
            Background = model.IsGpt && background == "transparent" ? "transparent" : "opaque",
            Format = format,
            Compression = compression ?? (format == ImageFormat.Jpeg ? 85 : 100),
            ReturnUrl = !model.IsGpt && responseFormat != "b64_json",
            Stream = stream,
            PartialImages = stream ? partials : 0,
            Edit = edit,
            InputImageCount = inputCount,
            User = user,
        };
    }

    private static (int Width, int Height) ResolveSize(string? size, ImageModel model)
    {
        if (size is null || (size == "auto" && model.IsGpt))
        {
            return ParseSize(model.DefaultSize)!.Value;
        }

        if (model.Sizes is null)
        {
            if (ParseSize(size) is { } any && any.Width % 16 == 0 && any.Height % 16 == 0
                && any.Width is >= 256 and <= 3840 && any.Height is >= 256 and <= 3840)
            {
                return any;
            }

            throw new ApiErrorException(ApiError.InvalidValue("size", $"Invalid size '{size}'. {model.Name} accepts 'auto' or WIDTHxHEIGHT with both sides multiples of 16 between 256 and 3840."));
        }

        if (model.Sizes.Contains(size))
        {
            return ParseSize(size)!.Value;
        }

        var allowed = (model.IsGpt ? model.Sizes.Prepend("auto") : model.Sizes).Select(s => $"'{s}'");
        throw new ApiErrorException(ApiError.InvalidValue("size", $"Invalid value: '{size}'. Supported values are: {string.Join(", ", allowed)}."));
    }

    private static (int Width, int Height)? ParseSize(string size)
    {
        var x = size.IndexOf('x', StringComparison.Ordinal);
        if (x > 0
            && int.TryParse(size.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            && int.TryParse(size.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            && w > 0 && h > 0)
        {
            return (w, h);
        }

        return null;
    }

    private static string ResolveQuality(ImageParameters p, ImageModel model, bool isEdit)
    {
        var allowed = isEdit && model.IsDallE2 ? ["standard", "auto"] : model.Qualities;
        var quality = p.OneOf("quality", allowed);
        return quality switch
        {
            null or "auto" => model.IsGpt ? "high" : "standard",
            _ => quality,
        };
    }

    private static EditInput BuildEdit(List<byte[]> inputs, byte[]? mask, ImageModel? model)
    {
        if (inputs.Count > MaxInputImages)
        {
            throw new ApiErrorException(ApiError.InvalidValue("image", $"Too many images: {inputs.Count}. At most {MaxInputImages} images are allowed."));
        }

        var isDallE2 = model?.IsDallE2 ?? false;
        if (isDallE2 && inputs.Count > 1)
        {
            throw new ApiErrorException(ApiError.InvalidValue("image", "dall-e-2 accepts exactly one image."));
        }

        ImageInfo? firstInfo = null;
        for (var i = 0; i < inputs.Count; i++)
        {
            var param = inputs.Count > 1 ? "image[]" : "image";
            if (!ImageInspector.TryInspect(inputs[i], out var info))
            {
                throw new ApiErrorException(InvalidImageFile(i, param));
            }

            var limit = isDallE2 ? MaxDallE2ImageBytes : MaxGptImageBytes;
            if (inputs[i].Length > limit)
            {
                throw new ApiErrorException(new ApiError(400, $"Image {i + 1} is too large: {inputs[i].Length} bytes; the limit is {limit} bytes.", Param: param, Code: "image_too_large"));
            }

            UploadDecoder.EnsureWithinLimits(info, $"Image {i + 1}", param);
            if (isDallE2 && (info.Format != ImageFormat.Png || info.Width != info.Height))
            {
                throw new ApiErrorException(ApiError.InvalidValue("image", "Invalid input image - format must be in ['RGBA', 'LA', 'L'], got RGB or not a square PNG."));
            }

            firstInfo ??= info;
        }

        Raster? maskImage = null;
        if (mask is not null)
        {
            if (!ImageInspector.TryInspect(mask, out var maskInfo) || maskInfo.Format != ImageFormat.Png)
            {
                throw new ApiErrorException(ApiError.InvalidValue("mask", "Invalid mask image: it must be a PNG with an alpha channel."));
            }

            UploadDecoder.EnsureWithinLimits(maskInfo, "The mask", "mask");
            if (firstInfo is not null && (maskInfo.Width != firstInfo.Width || maskInfo.Height != firstInfo.Height))
            {
                throw new ApiErrorException(ApiError.InvalidValue("mask", $"Invalid mask image: size {maskInfo.Size} does not match the first image ({firstInfo.Size})."));
            }

            maskImage = UploadDecoder.TryDecode(mask)
                ?? throw new ApiErrorException(ApiError.InvalidValue("mask", "Invalid mask image: it could not be decoded."));
        }

        Raster? first = null;
        if (inputs.Count > 0)
        {
            first = UploadDecoder.TryDecode(inputs[0])
                ?? throw new ApiErrorException(InvalidImageFile(0, inputs.Count > 1 ? "image[]" : "image"));
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var input in inputs)
        {
            hash.AppendData(input);
        }

        if (mask is not null)
        {
            hash.AppendData(mask);
        }

        return new EditInput(Convert.ToHexString(hash.GetHashAndReset())[..16], first, maskImage);
    }

    private static ApiError InvalidImageFile(int index, string param) =>
        new(400, $"Invalid image file or mode for image {index + 1}, please check your image file.", Param: param, Code: "invalid_image_file");

    private static byte[] ReadImageReference(JsonElement reference, string param)
    {
        if (reference.ValueKind == JsonValueKind.Object && reference.TryGetProperty("image_url", out var url) && url.ValueKind == JsonValueKind.String)
        {
            return DataUrl.Decode(url.GetString()!, param);
        }

        if (reference.ValueKind == JsonValueKind.Object && reference.TryGetProperty("file_id", out _))
        {
            throw new ApiErrorException(ApiError.InvalidValue(param, "The emulator has no Files API: pass images as data: URLs in image_url."));
        }

        throw new ApiErrorException(ApiError.InvalidValue(param, $"Each entry of '{param}' must hold exactly one of image_url or file_id."));
    }

    private static void RejectUnknown(ImageParameters parameters, IReadOnlySet<string> allowed)
    {
        foreach (var name in parameters.Names)
        {
            if (!allowed.Contains(name))
            {
                throw new ApiErrorException(ApiError.UnknownParameter(name));
            }
        }
    }

    internal static async Task<JsonElement> ReadJsonAsync(HttpRequest request)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new ApiErrorException(new ApiError(400, $"We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.) Parser error: {ex.Message}"));
        }
    }
}
