namespace ComfyUI.Adapter;

/// <summary>ComfyUI adapter log messages: ids, counts and sizes only, never prompts or image bytes.</summary>
internal static partial class ComfyUILog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Queued chunk {Chunk} ({Nodes} nodes) for run {RunId} as ComfyUI prompt {PromptId}")]
    public static partial void Queued(ILogger logger, string chunk, int nodes, string runId, string promptId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "ComfyUI prompt {PromptId}: step {Value} of {Max}")]
    public static partial void Progress(ILogger logger, string promptId, int value, int max);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "ComfyUI prompt {PromptId} finished: {Images} image(s), {Partials} preview(s) sent")]
    public static partial void Finished(ILogger logger, string promptId, int images, int partials);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Asked ComfyUI to stop prompt {PromptId} (started: {Started})")]
    public static partial void Stopped(ILogger logger, string promptId, bool started);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Could not ask ComfyUI to stop prompt {PromptId}: {Reason}")]
    public static partial void StopFailed(ILogger logger, string promptId, string reason);
}
