namespace Declarative.Adapter;

/// <summary>The adapter's log messages: chunk names, endpoints without query, statuses and counts; never secrets, prompts or images.</summary>
internal static partial class DeclarativeLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Chunk {Chunk} calls {Provider} at {Endpoint} ({Method}, via emulator: {ViaEmulator})")]
    public static partial void Calling(ILogger logger, string chunk, string provider, string endpoint, string method, bool viaEmulator);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Chunk {Chunk}: {Provider} job created, polling {StatusEndpoint} every {IntervalMs} ms")]
    public static partial void JobCreated(ILogger logger, string chunk, string provider, string statusEndpoint, long intervalMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Chunk {Chunk}: poll {Poll} says '{Status}'")]
    public static partial void JobPolled(ILogger logger, string chunk, int poll, string? status);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Chunk {Chunk}: job ended '{Status}' after {Polls} poll(s)")]
    public static partial void JobEnded(ILogger logger, string chunk, string? status, int polls);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Chunk {Chunk}: the call ended early ({Reason}); cancel sent to {CancelEndpoint}: HTTP {StatusCode}")]
    public static partial void JobCancelled(ILogger logger, string chunk, string reason, string cancelEndpoint, int statusCode);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Chunk {Chunk}: the cancel of its job at {CancelEndpoint} failed: {Problem}")]
    public static partial void JobCancelFailed(ILogger logger, string chunk, string cancelEndpoint, string problem);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Chunk {Chunk}: {Images} image(s) in the reply ({Kind})")]
    public static partial void ImagesFound(ILogger logger, string chunk, int images, string kind);
}
