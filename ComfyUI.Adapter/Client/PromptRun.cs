using Pipeline.Providers;

namespace ComfyUI.Adapter.Client;

/// <summary>What a websocket message means for the run of one prompt.</summary>
internal enum RunStep
{
    /// <summary>Nothing to do (status, another prompt's message, a skipped preview, executed, …).</summary>
    Continue,

    /// <summary>A preview to send as a partial frame.</summary>
    Preview,

    /// <summary><c>executing</c> with node null: the prompt is done and its history written.</summary>
    Done,
}

/// <summary>
/// Follows one prompt through ComfyUI's websocket messages: started (execution_start, executing, progress), previews, the end
/// (executing with node null), and failures (execution_error, execution_interrupted), which it throws.
/// </summary>
internal sealed class PromptRun(string promptId, int partialImages)
{
    private readonly PreviewSelector _previews = new(partialImages);

    public string PromptId { get; } = promptId;

    /// <summary>Whether ComfyUI began executing the prompt (it has left the queue).</summary>
    public bool Started { get; private set; }

    /// <summary>Whether ComfyUI is through with the prompt: done, failed or interrupted.</summary>
    public bool Ended { get; private set; }

    /// <summary>The index of the next partial frame.</summary>
    public int NextPartialIndex { get; private set; }

    /// <summary>The last progress step and step count.</summary>
    public (int Value, int Max) Progress { get; private set; }

    public RunStep Observe(SocketMessage message)
    {
        if (message.PromptId is { } id && id != PromptId)
        {
            return RunStep.Continue;
        }
        switch (message.Type)
        {
            case "execution_start" or "execution_cached":
                Started = true;
                return RunStep.Continue;
            case "executing" when message.PromptId is not null:
                Started = true;
                if (message.Data["node"] is null)
                {
                    Ended = true;
                    return RunStep.Done;
                }
                return RunStep.Continue;
            case "progress":
                Started = true;
                Progress = (message.Int("value") ?? 0, message.Int("max") ?? 0);
                _previews.Progress(Progress.Value, Progress.Max);
                return RunStep.Continue;
            case SocketMessage.Preview when _previews.Take():
                NextPartialIndex++;
                return RunStep.Preview;
            case "execution_error":
                Ended = true;
                throw ComfyUIErrors.FromExecutionError(message.Data);
            case "execution_interrupted":
                Ended = true;
                throw ComfyUIErrors.FromInterruption(message.Data);
            default:
                return RunStep.Continue;
        }
    }

    /// <summary>ComfyUI closed the websocket before the prompt ended.</summary>
    public ProviderException Closed() => new(ProviderFailureKind.Unavailable,
        $"ComfyUI closed the websocket before prompt {PromptId} finished.", providerRequestId: PromptId);
}
