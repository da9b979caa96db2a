using System.ClientModel;
using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using OpenAI.Adapter.Sdk;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers;

namespace OpenAI.Adapter.Images;

/// <summary>POST /images/generations through <see cref="OpenAI.Images.ImageClient"/>.</summary>
internal static class ImageGenerations
{
    /// <summary>The typed call: n images in one reply, each becoming a final with its index.</summary>
    public static async IAsyncEnumerable<ProviderFrame> GenerateAsync(OpenAIClients clients, ProviderRequest request, ProviderCallContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var result = await clients.Images(request.Model)
            .GenerateImagesAsync(request.Prompt, request.ImageCount(), ImageRequestOptions.ForGeneration(request), cancellationToken);
        var requestId = OpenAIFailures.RequestId(result.GetRawResponse().Headers);
        await foreach (var frame in ImageResults.FinalsAsync(result.Value, requestId, request, context, cancellationToken))
        {
            yield return frame;
        }
    }

    /// <summary>
    /// The streamed call with partial images. SDK 2.15.0's ImageGenerationOptions has no stream or partial_images, so the
    /// body is the SDK's own serialisation of the options plus model, prompt, n, stream and partial_images, sent through
    /// its protocol method unbuffered; the events are read as they arrive (<see cref="ImageEventStream"/>).
    /// </summary>
    public static async IAsyncEnumerable<ProviderFrame> StreamAsync(OpenAIClients clients, ProviderRequest request, ProviderCallContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var body = JsonNode.Parse(ModelReaderWriter.Write(ImageRequestOptions.ForGeneration(request)).ToMemory().Span)!.AsObject();
        body["model"] = request.Model;
        body["prompt"] = request.Prompt;
        body["n"] = request.ImageCount();
        body["stream"] = true;
        body["partial_images"] = request.PartialImages;
        var events = await clients.Images(request.Model)
            .GenerateImagesAsync(BinaryContent.Create(BinaryData.FromString(body.ToJsonString())), Streamed(cancellationToken));
        await foreach (var frame in ImageEventStream.ReadAsync(events, "image_generation", request, context, cancellationToken))
        {
            yield return frame;
        }
    }

    /// <summary>Protocol-call options: events are handed over as they arrive (not buffered), and the call can be cancelled.</summary>
    public static RequestOptions Streamed(CancellationToken cancellationToken) => new() { BufferResponse = false, CancellationToken = cancellationToken };
}
