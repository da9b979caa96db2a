using System.Runtime.CompilerServices;
using ComfyUI.Adapter.Client;
using ComfyUI.Adapter.Workflow;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers;

namespace ComfyUI.Adapter;

/// <summary>
/// Runs an output_chunk's workflow on ComfyUI: the websocket opened first (with a fresh client id), then <c>POST /prompt</c>;
/// previews become partial frames as they arrive; once ComfyUI reports the end (executing with node null), the output
/// node's images come from <c>/history</c> and <c>/view</c> as finals: local, cost 0 (or the chunk's price), with the
/// effective parameters. A cancelled or timed-out call tells ComfyUI to stop (<c>/queue</c> delete, <c>/interrupt</c>).
/// </summary>
internal sealed class ComfyUIImageProvider(
    HttpClient http, ProviderOptions options, ComfyUIClientOptions clientOptions, TimeProvider time, ILogger<ComfyUIImageProvider> logger) : IImageProvider
{
    public async IAsyncEnumerable<ProviderFrame> GenerateAsync(ProviderRequest request, ProviderCallContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var workflow = WorkflowBuilder.Build(request, WorkflowBuilder.DrawSeed);
        var client = new ComfyUIClient(http);
        var clientId = Guid.NewGuid().ToString("N");
        await using var socket = await ComfyUISocket.ConnectAsync(
            ComfyUISocket.AddressOf(options.BaseUrl!, clientId), options.Headers, options.Download.MaxBytes, cancellationToken);
        var run = new PromptRun(await client.QueueAsync(workflow.Prompt, clientId, cancellationToken), request.PartialImages);
        ComfyUILog.Queued(logger, request.Chunk.Name, workflow.Prompt.Count, request.RunId, run.PromptId);
        context.Activity?.SetTag("gen_ai.response.id", run.PromptId);
        try
        {
            while (await socket.ReceiveAsync(cancellationToken) is { } message)
            {
                var step = run.Observe(message);
                if (step == RunStep.Done)
                {
                    break;
                }
                if (message.Type == "progress")
                {
                    ComfyUILog.Progress(logger, run.PromptId, run.Progress.Value, run.Progress.Max);
                }
                else if (step == RunStep.Preview)
                {
                    var partialIndex = run.NextPartialIndex - 1;
                    var preview = context.Images.FromBytes(message.Image, $"ComfyUI preview {partialIndex}");
                    yield return new ProviderFrame { Partial = context.Images.ToPartialImage(preview, imageIndex: 0, partialIndex) };
                }
            }
            if (!run.Ended)
            {
                throw run.Closed();
            }
        }
        finally
        {
            if (!run.Ended)
            {
                await StopAsync(client, run);
            }
        }

        var images = await client.GetOutputImagesAsync(run.PromptId, workflow.OutputNode, cancellationToken);
        var parameters = WorkflowBuilder.ToStruct(workflow.EffectiveParameters);
        for (var i = 0; i < images.Count; i++)
        {
            var bytes = await client.ViewAsync(images[i], options.Download.MaxBytes, cancellationToken);
            var final = context.Images.ToFinalImage(context.Images.FromBytes(bytes, $"ComfyUI image {images[i].Filename}"), i);
            final.Model = request.Model;
            final.ProviderRequestId = run.PromptId;
            final.CostUsdMicros = request.Chunk.HasCostPerImageUsdMicros ? request.Chunk.CostPerImageUsdMicros : 0;
            final.CostKnown = true;
            final.Local = true;
            final.EffectiveParameters = parameters.Clone();
            yield return new ProviderFrame { Final = final };
        }
        ComfyUILog.Finished(logger, run.PromptId, images.Count, run.NextPartialIndex);
    }

    /// <summary>
    /// Best effort, on its own clock (the call's token is already cancelled): a prompt still queued is deleted from the queue,
    /// and the run is interrupted (ComfyUI interrupts only if this prompt is the one running).
    /// </summary>
    private async Task StopAsync(ComfyUIClient client, PromptRun run)
    {
        using var timeout = new CancellationTokenSource(clientOptions.InterruptTimeout, time);
        try
        {
            if (!run.Started)
            {
                await client.DeleteQueuedAsync(run.PromptId, timeout.Token);
            }
            await client.InterruptAsync(run.PromptId, timeout.Token);
            ComfyUILog.Stopped(logger, run.PromptId, run.Started);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            ComfyUILog.StopFailed(logger, run.PromptId, ex.Message);
        }
    }
}
