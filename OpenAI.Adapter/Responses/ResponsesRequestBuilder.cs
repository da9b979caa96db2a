using OpenAI.Adapter.Images;
using OpenAI.Responses;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Imaging;
using Pipeline.Providers;

namespace OpenAI.Adapter.Responses;

/// <summary>
/// A <see cref="ProviderRequest"/> as a streamed Responses call: the host model (<c>extra.host_model</c>, default
/// <see cref="DefaultHostModel"/>) is told to use the image_generation tool with <c>request.model</c> as its image model;
/// the prompt and the input images go in one user message, the mask as the tool's input_image_mask.
/// </summary>
internal static class ResponsesRequestBuilder
{
    /// <summary>The Responses model that calls the tool when the request names none.</summary>
    public const string DefaultHostModel = "gpt-4.1-mini";

    public static CreateResponseOptions Build(ProviderRequest request)
    {
        if (request.ImageCount() > 1)
        {
            throw new ProviderException(ProviderFailureKind.InvalidRequest,
                $"n is {request.N}; the Responses image_generation tool makes one image per call.") { Param = "n" };
        }
        var extra = request.ExtraAsJson();
        var content = new List<ResponseContentPart> { ResponseContentPart.CreateInputTextPart(request.Prompt) };
        for (var index = 0; index < request.InputImages.Count; index++)
        {
            content.Add(ResponseContentPart.CreateInputImagePart(ImageData(request.InputImages[index], $"input_images[{index}]")));
        }
        return new CreateResponseOptions
        {
            Model = ImageRequestOptions.Extra(extra, "host_model") ?? DefaultHostModel,
            InputItems = { ResponseItem.CreateUserMessageItem(content) },
            Tools = { Tool(request, extra) },
            // 2.15.0 has no {"type":"image_generation"} choice; with the one tool, "required" means the same.
            ToolChoice = ResponseToolChoice.CreateRequiredChoice(),
            StreamingEnabled = true,
            EndUserId = request.RunId.Length > 0 ? request.RunId : null,
        };
    }

    private static ImageGenerationTool Tool(ProviderRequest request, System.Text.Json.Nodes.JsonObject extra) => new()
    {
        Model = request.Model,
        PartialImageCount = request.PartialImages > 0 ? request.PartialImages : null,
        Size = request.Size == "auto" ? ImageGenerationToolSize.Auto
            : ImageRequestOptions.Dimensions(request.Size) is var (width, height) ? new ImageGenerationToolSize(width, height) : default(ImageGenerationToolSize?),
        Quality = ImageRequestOptions.Optional(request.Quality, v => new ImageGenerationToolQuality(v)),
        OutputFileFormat = ImageRequestOptions.Optional(request.OutputFormat, v => new ImageGenerationToolOutputFileFormat(v)),
        OutputCompressionFactor = request.OutputCompression > 0 ? request.OutputCompression : null,
        Background = ImageRequestOptions.Optional(request.Background, v => new ImageGenerationToolBackground(v)),
        ModerationLevel = ImageRequestOptions.Optional(ImageRequestOptions.Extra(extra, "moderation"), v => new ImageGenerationToolModerationLevel(v)),
        InputFidelity = ImageRequestOptions.Optional(ImageRequestOptions.Extra(extra, "input_fidelity"), v => new ImageGenerationToolInputFidelity(v)),
        InputImageMask = request.Mask is { } mask ? new ImageGenerationToolInputImageMask(ImageData(mask, "mask")) : null,
    };

    /// <summary>The bytes with their media type (from the magic bytes), sent as a data URL.</summary>
    private static BinaryData ImageData(InputImage image, string field)
    {
        var bytes = image.Data.ToByteArray();
        var mimeType = ImageInspector.DetectFormat(bytes)?.ToMimeType()
            ?? throw new ProviderException(ProviderFailureKind.InvalidRequest, $"{field} is not a PNG, JPEG or WebP image.") { Param = field };
        return BinaryData.FromBytes(bytes, mimeType);
    }
}
