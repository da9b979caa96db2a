using OpenAI.Adapter.Images;
using OpenAI.Adapter.Responses;
using OpenAI.Adapter.Sdk;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers;

namespace OpenAI.Adapter;

/// <summary>
/// OpenAI through the official SDK: Images generate (typed, or streamed when partial images are asked for), Images edit
/// (several input images and a mask), and the Responses API's image_generation tool (streamed).
/// </summary>
public sealed class OpenAIImageProvider(HttpClient http, ILogger<OpenAIImageProvider> logger) : IImageProvider
{
    /// <inheritdoc />
    public IAsyncEnumerable<ProviderFrame> GenerateAsync(ProviderRequest request, ProviderCallContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var clients = new OpenAIClients(http, context);
        OpenAILog.Calling(logger, request.Operation, request.Model, request.ImageCount(), request.PartialImages, request.InputImages.Count);
        var frames = request.Operation switch
        {
            Operation.Generate when request.PartialImages > 0 => ImageGenerations.StreamAsync(clients, request, context, cancellationToken),
            Operation.Generate => ImageGenerations.GenerateAsync(clients, request, context, cancellationToken),
            Operation.Edit => ImageEdits.EditAsync(clients, request, context, cancellationToken),
            Operation.Responses => ResponsesImageCall.StreamAsync(clients, request, context, logger, cancellationToken),
            _ => throw new ProviderException(ProviderFailureKind.InvalidRequest,
                $"The OpenAI adapter serves OPERATION_GENERATE, OPERATION_EDIT and OPERATION_RESPONSES, not {request.Operation}.") { Param = "operation" },
        };
        return OpenAIFailures.TranslateAsync(frames, cancellationToken);
    }
}
