using Gateway.Authentication;
using Gateway.Configuration;
using Gateway.Errors;
using Gateway.RequestLimits;
using Pipeline.Contracts.ImageGen.V1;
using Grpc.Core;
using Pipeline.ServiceDefaults.Security;

namespace Gateway.OpenAI;

/// <summary>
/// Serves <c>POST /v1/images/generations</c> and <c>/v1/images/edits</c>: reads the request, resolves the model to a
/// config, runs the router's Generate (with the image bytes, the caller's headers and its provider keys) and answers as
/// OpenAI does, streamed or not, naming the config that actually served (<see cref="RunServing"/>).
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
            var headers = RouterCallHeaders.WithProviderKeys(context);
            var catalogue = await catalogues.GetAsync("", context.GetCaller() ?? Caller.Default, cancellationToken);
            var model = ModelResolver.Resolve(request.Model, operation, catalogue);
            using var call = router.Generate(GenerateRequestMapper.Map(request, model), headers,
                deadline: DateTime.UtcNow + options.GenerationTimeout, cancellationToken: cancellationToken);
            await using var frames = call.ResponseStream.ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            if (!await frames.MoveNextAsync() || frames.Current.FrameCase != GenerateFrame.FrameOneofCase.Accepted)
            {
                throw new RpcException(new Status(StatusCode.Internal, "The router's stream did not begin with an Accepted frame."));
            }
            var accepted = frames.Current.Accepted;
            var serving = new RunServing(accepted);
            ImageShape ShapeOf(string config) => ImageShape.From(request, catalogue.Configs.FirstOrDefault(c => c.Name == config));
            GatewayLog.GenerationAccepted(logger, operation.EventPrefix(), accepted.RunId, accepted.Config, accepted.ImageCount, request.Stream);
            var finals = request.Stream
                ? await StreamAsync(context, operation, serving, ShapeOf, frames)
                : await CollectAsync(context, request, operation, serving, ShapeOf, frames);
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

    private async Task<List<Final>> CollectAsync(HttpContext context, ImageRequest request, ImageOperation operation, RunServing serving,
        Func<string, ImageShape> shapeOf, IAsyncEnumerator<GenerateFrame> frames)
    {
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var finals = new List<Final>();
        while (await frames.MoveNextAsync())
        {
            switch (frames.Current.FrameCase)
            {
                case GenerateFrame.FrameOneofCase.Fallback:
                    FellBack(operation, serving, frames.Current.Fallback);
                    break;
                case GenerateFrame.FrameOneofCase.Final:
                    serving.Apply(frames.Current.Final);
                    finals.Add(frames.Current.Final);
                    break;
            }
        }
        if (finals.Count == 0)
        {
            throw new RpcException(new Status(StatusCode.Internal, "The router's stream ended without an image."));
        }
        finals.Sort((a, b) => a.ImageIndex.CompareTo(b.ImageIndex));
        await ImageResponseWriter.WriteAsync(context, request, created, serving, shapeOf(serving.Config), finals);
        return finals;
    }

    /// <summary>Relays the frames as events; null when the stream failed (an error event was sent).</summary>
    private async Task<List<Final>?> StreamAsync(HttpContext context, ImageOperation operation, RunServing serving, Func<string, ImageShape> shapeOf,
        IAsyncEnumerator<GenerateFrame> frames)
    {
        var events = new ImageEventStream(context, operation, serving) { Shape = shapeOf(serving.Config) };
        await events.StartAsync();
        var finals = new List<Final>();
        try
        {
            while (await frames.MoveNextAsync())
            {
                switch (frames.Current.FrameCase)
                {
                    case GenerateFrame.FrameOneofCase.Fallback:
                        FellBack(operation, serving, frames.Current.Fallback);
                        events.Shape = shapeOf(serving.Config);
                        break;
                    case GenerateFrame.FrameOneofCase.Partial:
                        await events.WritePartialAsync(frames.Current.Partial);
                        break;
                    case GenerateFrame.FrameOneofCase.Final:
                        serving.Apply(frames.Current.Final);
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

    private void FellBack(ImageOperation operation, RunServing serving, Fallback fallback)
    {
        serving.Apply(fallback);
        GatewayLog.GenerationFellBack(logger, operation.EventPrefix(), serving.RunId, serving.Config, serving.Provider, serving.Model, serving.EarlierInWords());
    }
}
