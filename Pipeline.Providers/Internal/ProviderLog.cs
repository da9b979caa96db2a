using Microsoft.Extensions.Logging;

namespace Pipeline.Providers.Internal;

/// <summary>The adapter library's log events. Sizes, hashes, ids and statuses only: never keys, prompts or image bytes.</summary>
internal static partial class ProviderLog
{
    [LoggerMessage(100, LogLevel.Information, "{Provider} adapter serving {ModelCount} model(s) from {BaseUrl}; configured key: {HasKey}; at most {MaxConcurrentCalls} concurrent call(s), {QueueLimit} queued")]
    public static partial void Started(ILogger logger, string provider, int modelCount, string baseUrl, bool hasKey, int maxConcurrentCalls, int queueLimit);

    [LoggerMessage(101, LogLevel.Information, "{Operation} {Model} for run {RunId} finished: {ImageCount} image(s), {PartialCount} partial(s), {ElapsedMs} ms")]
    public static partial void CallCompleted(ILogger logger, string operation, string model, string runId, int imageCount, int partialCount, long elapsedMs);

    [LoggerMessage(102, LogLevel.Warning, "{Operation} {Model} for run {RunId} failed: {Kind} (HTTP {HttpStatus}, provider code {ProviderCode}, request id {RequestId})")]
    public static partial void CallFailed(ILogger logger, string operation, string model, string runId, ProviderFailureKind kind, int httpStatus, string? providerCode, string? requestId);

    [LoggerMessage(103, LogLevel.Information, "Retrying provider call ({Retry}/{MaxRetries}) after {Kind} (HTTP {HttpStatus}) in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, int retry, int maxRetries, ProviderFailureKind kind, int httpStatus, long delayMs);

    [LoggerMessage(104, LogLevel.Information, "Final image {ImageIndex} of run {RunId}: {Bytes} bytes {MimeType} {Width}x{Height}, sha256 {Sha256}, {CostUsdMicros} USD micros (cost known: {CostKnown})")]
    public static partial void FinalImage(ILogger logger, string runId, int imageIndex, int bytes, string mimeType, int width, int height, string sha256, long costUsdMicros, bool costKnown);

    [LoggerMessage(105, LogLevel.Information, "{Operation} {Model} for run {RunId} cancelled by the caller")]
    public static partial void CallCancelled(ILogger logger, string operation, string model, string runId);

    [LoggerMessage(106, LogLevel.Warning, "{Operation} {Model} for run {RunId} rejected: {Reason}")]
    public static partial void RequestRejected(ILogger logger, string operation, string model, string runId, string reason);
}
