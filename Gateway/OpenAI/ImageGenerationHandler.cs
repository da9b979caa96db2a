using Gateway.Configuration;
using Gateway.Errors;
using Gateway.RequestLimits;
using Pipeline.Contracts.ImageGen.V1;
using Grpc.Core;

namespace Gateway.OpenAI;

/// <summary>
/// Serves <c>POST /v1/images/generations</c> and <c>/v1/images/edits</c>: reads the request, resolves the model to a
/// config, runs the router's Generate (with the image bytes) and answers as OpenAI does, streamed or not.
/// </summary>
public sealed class ImageGenerationHandler(ImageGeneration.ImageGenerationClient router, RouterCatalogue catalogues, GatewayOptions options, ILogger<ImageGenerationHandler> logger)
{
    public async Task HandleAsync(HttpContext context, ImageOperation operation)
    {
        var cancellationToken = context.RequestAborted;
        try
        {
            var request = operation == ImageOperation.Generations
                ? await ImageRequestReader.ReadJsonAsync(context.Request, cancellationToken)
                : await ImageRequestReader.ReadMultipartAsync(context.Request, cancellationToken);
            var catalogue = await catalogues.GetAsync("", cancellationToken);
            var model = ModelResolver.Resolve(request.Model, operation, catalogue);
            using var call = router.Generate(GenerateRequestMapper.Map(request, model),
                deadline: DateTime.UtcNow + options.GenerationTimeout, cancellationToken: cancellationToken);
            await using var frames = call.ResponseStream.ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            if (!await frames.MoveNextAsync() || frames.Current.FrameCase != GenerateFrame.FrameOneofCase.Accepted)
            {
                throw new RpcException(new Status(StatusCode.Internal, "The router's stream did not begin with an Accepted frame."));
            }
            var accepted = frames.Current.Accepted;
            var shape = ImageShape.From(request, catalogue.Configs.FirstOrDefault(c => c.Name == accepted.Config));
            GatewayLog.GenerationAccepted(logger, operation.EventPrefix(), accepted.RunId, accepted.Config, accepted.ImageCount, request.Stream);
            var finals = request.Stream
                ? await StreamAsync(context, operation, accepted, shape, frames)
                : await CollectAsync(context, request, accepted, shape, frames);
            if (finals is not null)
            {
                GatewayLog.GenerationCompleted(logger, operation.EventPrefix(), accepted.RunId, finals.Count, finals.Sum(f => f.Storage?.SizeBytes ?? f.Data.Length));
            }
        }
        catch (OpenAIException ex)
        {
            await ex.Error.WriteAsync(context.Response);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            GatewayLog.RequestTooLarge(logger, context.Request.Path, context.Request.ContentLength, options.MaxRequestBodyBytes);
            await RequestSizeLimitMiddleware.WriteTooLargeAsync(context, options.MaxRequestBodyBytes);
        }
        catch (BadHttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Kestrel could not read the body (e.g. shorter than its Content-Length, or bad chunked framing).
            await new OpenAIError(ex.StatusCode, "The request body could not be read.", "invalid_request_error", null, "invalid_body").WriteAsync(context.Response);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is RpcException or OperationCanceledException or IOException)
        {
            GatewayLog.CallerGone(logger, operation.EventPrefix());
        }
        catch (RpcException ex)
        {
            GatewayLog.GenerationFailed(logger, operation.EventPrefix(), ex.StatusCode, ex.Status.Detail);
            await RpcErrorMapper.ToOpenAIError(ex).WriteAsync(context.Response);
        }
    }

    private static async Task<List<Final>> CollectAsync(HttpContext context, ImageRequest request, Accepted accepted, ImageShape shape, IAsyncEnumerator<GenerateFrame> frames)
    {
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var finals = new List<Final>();
        while (await frames.MoveNextAsync())
        {
            if (frames.Current.FrameCase == GenerateFrame.FrameOneofCase.Final)
            {
                finals.Add(frames.Current.Final);
            }
        }
        if (finals.Count == 0)
        {
            throw new RpcException(new Status(StatusCode.Internal, "The router's stream ended without an image."));
        }
        finals.Sort((a, b) => a.ImageIndex.CompareTo(b.ImageIndex));
        await ImageResponseWriter.WriteAsync(context, request, created, accepted, shape, finals);
        return finals;
    }

    /// <summary>Relays the frames as events; null when the stream failed (an error event was sent).</summary>
    private async Task<List<Final>?> StreamAsync(HttpContext context, ImageOperation operation, Accepted accepted, ImageShape shape, IAsyncEnumerator<GenerateFrame> frames)
    {
        var events = new ImageEventStream(context, operation, accepted, shape);
        await events.StartAsync();
        var finals = new List<Final>();
        try
        {
            while (await frames.MoveNextAsync())
            {
                switch (frames.Current.FrameCase)
                {
                    case GenerateFrame.FrameOneofCase.Partial:
                        await events.WritePartialAsync(frames.Current.Partial);
                        break;
                    case GenerateFrame.FrameOneofCase.Final:
                        finals.Add(frames.Current.Final);
                        await events.WriteCompletedAsync(frames.Current.Final);
                        break;
                }
            }
        }
        catch (RpcException ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            GatewayLog.GenerationFailed(logger, operation.EventPrefix(), ex.StatusCode, ex.Status.Detail);
            await events.WriteErrorAsync(RpcErrorMapper.ToOpenAIError(ex));
            return null;
        }
        return finals;
    }
}
