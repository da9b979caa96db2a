using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.ImageGen.V1;

namespace Gateway.OpenAI;

/// <summary>Turns an OpenAI images request into the router's <see cref="GenerateRequest"/>.</summary>
public static class GenerateRequestMapper
{
    public static GenerateRequest Map(ImageRequest request, ResolvedModel model)
    {
        var parameters = new GenerationParameters();
        if (request.N is { } n)
        {
            parameters.N = n;
        }
        if (request.Size is { } size)
        {
            parameters.Size = size;
        }
        if (request.Quality is { } quality)
        {
            parameters.Quality = quality;
        }
        if (request.OutputFormat is { } format)
        {
            parameters.OutputFormat = format;
        }
        if (request.Background is { } background)
        {
            parameters.Background = background;
        }
        if (request.OutputCompression is { } compression)
        {
            parameters.OutputCompression = compression;
        }
        // Partial images only make sense on a stream; a non-streamed answer would drop them anyway.
        if (request.Stream && request.PartialImages is { } partials)
        {
            parameters.PartialImages = partials;
        }
        foreach (var (name, value) in request.Extras)
        {
            parameters.Extra[name] = Value.ForString(value);
        }
        var generate = new GenerateRequest
        {
            Prompt = request.Prompt,
            Config = model.Config ?? "",
            Mode = model.Config is null ? model.Mode : "",
            Parameters = parameters,
            // Events always carry b64_json; a non-streamed answer does unless the caller asked for URLs.
            IncludeImageData = request.Stream || !request.ReturnUrl,
        };
        generate.InputImages.AddRange(request.Images.Select(ToInputImage));
        if (request.Mask is { } mask)
        {
            generate.Mask = ToInputImage(mask);
        }
        return generate;
    }

    private static InputImage ToInputImage(InputFile file) => new()
    {
        Data = ByteString.CopyFrom(file.Data),
        Filename = file.FileName,
        MimeType = file.ContentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ? file.ContentType : "",
    };
}
