using System.Runtime.CompilerServices;
using Declarative.Adapter.Chunks;
using Declarative.Adapter.Http;
using Declarative.Adapter.Output;
using Declarative.Adapter.Polling;
using Declarative.Adapter.Templates;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers;

namespace Declarative.Adapter;

/// <summary>
/// Executes an api_output_chunk (OPERATION_HTTP): builds the call from the chunk's templates and the request's parameters,
/// sends it, and reads the images as the chunk says — from the JSON reply, after polling an async job, or from an event
/// stream (partials, then finals). Errors go through the chunk's error table. Finals carry the chunk's price when it has one.
/// </summary>
internal sealed class DeclarativeImageProvider(HttpClient http, CallBuilder builder, AsyncJobPoller poller, ILogger<DeclarativeImageProvider> logger)
    : IImageProvider
{
    public async IAsyncEnumerable<ProviderFrame> GenerateAsync(ProviderRequest request, ProviderCallContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (request.Operation != Operation.Http)
        {
            throw new ProviderException(ProviderFailureKind.InvalidRequest,
                $"The declarative adapter executes api_output_chunks (OPERATION_HTTP), not {request.Operation}") { Param = "operation" };
        }
        var chunk = ApiChunk.Parse(request);
        var call = builder.Build(chunk, request, context.ApiKey);
        DeclarativeLog.Calling(logger, chunk.Name, chunk.Provider, call.Scrub(call.Endpoint.GetLeftPart(UriPartial.Path)), chunk.Method.Method, call.ViaEmulator);
        using var message = ChunkRequests.Create(call);
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorTranslator.FromResponseAsync(response, call, cancellationToken);
        }
        var requestId = ProviderErrors.ReadRequestId(response.Headers);

        if (chunk.Streaming is not null && ReplyReader.IsEventStream(response))
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await foreach (var frame in new EventStreamReader(call, context.Images).ReadAsync(body, cancellationToken))
            {
                if (frame.Final is { } final)
                {
                    Complete(final, chunk, requestId);
                }
                yield return frame;
            }
            yield break;
        }

        List<VerifiedImage> images = [];
        if (ReplyReader.IsImage(response))
        {
            var bytes = await ReplyReader.ReadImageAsync(response, context.Options.Download.MaxBytes, cancellationToken);
            images.Add(context.Images.FromBytes(bytes, "the image reply"));
        }
        else
        {
            var reply = await ReplyReader.ReadJsonAsync(response, "the reply", cancellationToken);
            if (chunk.Async is not null)
            {
                reply = await poller.RunAsync(call, reply, cancellationToken);
            }
            foreach (var (field, source) in ImageSources.Find(reply, chunk.Output))
            {
                images.Add(await context.Images.NormalizeAsync(source, field, cancellationToken));
            }
        }
        DeclarativeLog.ImagesFound(logger, chunk.Name, images.Count, chunk.Async is null ? "reply" : "async job");
        for (var i = 0; i < images.Count; i++)
        {
            var final = context.Images.ToFinalImage(images[i], i);
            Complete(final, chunk, requestId);
            yield return new ProviderFrame { Final = final };
        }
    }

    /// <summary>The chunk's price (0 for a local backend) is the cost; with no price the service leaves it unknown.</summary>
    private static void Complete(FinalImage final, ApiChunk chunk, string? requestId)
    {
        final.Model = chunk.Model;
        final.ProviderRequestId = requestId ?? "";
        if (chunk.Local)
        {
            final.Local = true;
            final.CostUsdMicros = 0;
            final.CostKnown = true;
        }
        else if (chunk.CostPerImageUsdMicros is { } price)
        {
            final.CostUsdMicros = price;
            final.CostKnown = true;
        }
    }
}
