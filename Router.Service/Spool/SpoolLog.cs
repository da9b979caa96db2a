namespace Router.Service.Spool;

/// <summary>Log messages of the spool, with stable event ids (200-249). Ids, sizes and hashes only: never bytes or prompts.</summary>
internal static partial class SpoolLog
{
    [LoggerMessage(200, LogLevel.Warning, "Spooled {Entry} of run {RunId} (image {ImageId}, {SizeBytes} bytes) to {Directory}; it is delivered to storage when storage is back.")]
    public static partial void EntrySpooled(ILogger logger, string entry, string runId, string imageId, long sizeBytes, string directory);

    [LoggerMessage(201, LogLevel.Information, "Delivered spooled {Entry} of run {RunId} to storage.")]
    public static partial void EntryDelivered(ILogger logger, string entry, string runId);

    [LoggerMessage(202, LogLevel.Warning, "Storage is unavailable ({StatusCode}: {Detail}); {Count} spooled entr(ies) wait, next attempt in {DelayMilliseconds} ms.")]
    public static partial void DeliveryBlocked(ILogger logger, Grpc.Core.StatusCode statusCode, string detail, int count, int delayMilliseconds);

    [LoggerMessage(203, LogLevel.Error, "Storage refused spooled {Entry} of run {RunId} for good ({StatusCode}: {Detail}); it was moved to {Path} for an operator and is not retried.")]
    public static partial void EntryRejected(ILogger logger, string entry, string runId, Grpc.Core.StatusCode statusCode, string detail, string path);

    [LoggerMessage(204, LogLevel.Information, "The spool {Directory} holds {Count} entr(ies) from before this start; delivering them.")]
    public static partial void PendingAtStart(ILogger logger, string directory, int count);

    [LoggerMessage(205, LogLevel.Warning, "Removed the unfinished spool write {Name} (interrupted before it was committed).")]
    public static partial void UnfinishedRemoved(ILogger logger, string name);

    [LoggerMessage(206, LogLevel.Error, "The spool entry {Name} cannot be read and is left in place for an operator.")]
    public static partial void EntryUnreadable(ILogger logger, string name, Exception exception);

    [LoggerMessage(207, LogLevel.Error, "Delivering the spool failed unexpectedly; retrying in {DelayMilliseconds} ms.")]
    public static partial void DeliveryFailed(ILogger logger, int delayMilliseconds, Exception exception);

    [LoggerMessage(208, LogLevel.Information, "Storage is back: delivered {Count} spooled entr(ies).")]
    public static partial void DeliveryResumed(ILogger logger, int count);

    [LoggerMessage(209, LogLevel.Warning, "Adopted {Count} spooled entr(ies) of a router that is gone into {Directory}; delivering them.")]
    public static partial void OrphansAdopted(ILogger logger, int count, string directory);
}
