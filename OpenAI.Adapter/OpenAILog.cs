using Pipeline.Contracts.Provider.V1;

namespace OpenAI.Adapter;

/// <summary>The OpenAI adapter's log events: operations, counts and event names only, never keys, prompts or image bytes.</summary>
internal static partial class OpenAILog
{
    [LoggerMessage(300, LogLevel.Debug, "Calling OpenAI {Operation} {Model}: {ImageCount} image(s), {PartialImages} partial(s) each, {InputImageCount} input image(s)")]
    public static partial void Calling(ILogger logger, Operation operation, string model, int imageCount, int partialImages, int inputImageCount);

    [LoggerMessage(301, LogLevel.Trace, "Ignoring the Responses stream event {EventType} (sequence {SequenceNumber})")]
    public static partial void IgnoredEvent(ILogger logger, string eventType, int sequenceNumber);
}
