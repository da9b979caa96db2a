using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OpenAI.Adapter.Images;
using OpenAI.Adapter.Sdk;
using OpenAI.Responses;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers;

namespace OpenAI.Adapter.Responses;

/// <summary>
/// POST /responses with the image_generation tool, streamed through <see cref="ResponsesClient.CreateResponseStreamingAsync(CreateResponseOptions, CancellationToken)"/>:
/// partial images as they arrive; each image call's result (response.output_item.done, or response.completed's output)
/// becomes a final once response.completed brings the text and usage; error and response.failed events are the provider's failure.
/// </summary>
internal static class ResponsesImageCall
{
    public static async IAsyncEnumerable<ProviderFrame> StreamAsync(OpenAIClients clients, ProviderRequest request, ProviderCallContext context, ILogger logger,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = ResponsesRequestBuilder.Build(request);
        await using var updates = await clients.Responses().CreateResponseStreamingAsync(options, cancellationToken);
        var requestId = OpenAIFailures.RequestId(updates.Headers);
        var results = new List<ImageGenerationCallResponseItem>();
        await foreach (var update in updates.WithCancellation(cancellationToken))
        {
            switch (update)
            {
                case StreamingResponseImageGenerationCallPartialImageUpdate partial:
                    var image = context.Images.FromBytes(partial.PartialImageBytes.ToMemory(), "response.image_generation_call.partial_image.partial_image_b64");
                    yield return new ProviderFrame { Partial = context.Images.ToPartialImage(image, results.Count, partial.PartialImageIndex) };
                    break;
                case StreamingResponseOutputItemDoneUpdate { Item: ImageGenerationCallResponseItem call }:
                    Collect(results, call);
                    break;
                case StreamingResponseCompletedUpdate completed:
                    foreach (var call in completed.Response.OutputItems.OfType<ImageGenerationCallResponseItem>())
                    {
                        Collect(results, call);
                    }
                    foreach (var final in Finals(results, completed.Response, request, requestId, context))
                    {
                        yield return new ProviderFrame { Final = final };
                    }
                    yield break;
                case StreamingResponseErrorUpdate error:
                    // The SDK reads the flat error shape only (Code and Message are null for the nested {"error":{…}}
                    // the live API has sent); serialised, the update keeps every field it received, so both shapes are read.
                    throw StreamError(ModelReaderWriter.Write(error), requestId);
                case StreamingResponseFailedUpdate failed:
                    throw failed.Response.Error is { } reason
                        ? StreamError(ModelReaderWriter.Write(reason), requestId)
                        : new ProviderException(ProviderFailureKind.Unavailable, "OpenAI reported response.failed without an error.", providerRequestId: requestId);
                case StreamingResponseIncompleteUpdate incomplete:
                    throw Incomplete(incomplete.Response, requestId);
                default:
                    OpenAILog.IgnoredEvent(logger, update.GetType().Name, update.SequenceNumber);
                    break;
            }
        }
        throw new ProviderException(ProviderFailureKind.Unavailable, "OpenAI's Responses stream ended without response.completed.", providerRequestId: requestId);
    }

    /// <summary>Keeps each image call with a result once (the result comes in output_item.done and again in response.completed).</summary>
    private static void Collect(List<ImageGenerationCallResponseItem> results, ImageGenerationCallResponseItem call)
    {
        if (call.ImageResultBytes is { IsEmpty: false } && !results.Any(r => r.Id == call.Id))
        {
            results.Add(call);
        }
    }

    private static IEnumerable<FinalImage> Finals(List<ImageGenerationCallResponseItem> results, ResponseResult response, ProviderRequest request,
        string? requestId, ProviderCallContext context)
    {
        if (results.Count == 0)
        {
            throw new ProviderException(ProviderFailureKind.MalformedResponse,
                $"OpenAI's response {response.Id} completed without an image_generation_call result.", providerRequestId: requestId);
        }
        var usage = WithHost(ToolUsage(response), response);
        var text = response.GetOutputText() ?? "";
        var model = response.Tools.OfType<ImageGenerationTool>().FirstOrDefault()?.Model is { Length: > 0 } toolModel ? toolModel : request.Model;
        for (var index = 0; index < results.Count; index++)
        {
            var image = context.Images.FromBytes(results[index].ImageResultBytes.ToMemory(), $"output[{index}].result");
            var final = context.Images.ToFinalImage(image, index);
            final.RevisedPrompt = results[index].RevisedPrompt ?? "";
            final.ProviderRequestId = requestId ?? "";
            final.Model = model;
            final.Text = text;
            if (usage is not null)
            {
                final.Usage = ProviderUsage.Share(usage, results.Count, index);
            }
            yield return final;
        }
    }

    /// <summary>tool_usage.image_gen: the image model's tokens, which the image prices apply to (the SDK has no property for it).</summary>
    private static Usage? ToolUsage(ResponseResult response)
    {
        if (!response.Patch.TryGetJson("$.tool_usage.image_gen"u8, out var json))
        {
            return null;
        }
        using var document = JsonDocument.Parse(json);
        return ImageUsage.From(document.RootElement);
    }

    /// <summary>
    /// usage: the host model's own tokens, kept apart in the host_* fields (priced at the host model's prices, never as
    /// image tokens). Without tool_usage the image fields stay 0 and the image is priced by size and quality.
    /// </summary>
    private static Usage? WithHost(Usage? image, ResponseResult response)
    {
        if (response.Usage is not { } host)
        {
            return image;
        }
        var usage = image ?? new Usage();
        usage.HostModel = response.Model ?? "";
        usage.HostInputTokens = host.InputTokenCount;
        usage.HostCachedInputTokens = host.InputTokenDetails?.CachedTokenCount ?? 0;
        usage.HostOutputTokens = host.OutputTokenCount;
        return usage;
    }

    private static ProviderException StreamError(BinaryData json, string? requestId)
    {
        using var document = JsonDocument.Parse(json);
        return ProviderErrors.FromStreamError(document.RootElement, requestId);
    }

    private static ProviderException Incomplete(ResponseResult response, string? requestId)
    {
        var reason = response.IncompleteStatusDetails?.Reason;
        return reason == ResponseIncompleteStatusReason.ContentFilter
            ? new ProviderException(ProviderFailureKind.ContentPolicy, "OpenAI stopped the response: content_filter.", providerCode: "content_filter", providerRequestId: requestId)
            : new ProviderException(ProviderFailureKind.InvalidRequest, $"OpenAI ended the response incomplete: {reason?.ToString() ?? "no reason given"}.",
                providerCode: reason?.ToString(), providerRequestId: requestId);
    }
}
