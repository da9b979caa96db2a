namespace Router.Service.Catalogue;

/// <summary>Log messages of the catalogue, with stable event ids (1-99).</summary>
internal static partial class CatalogueLog
{
    [LoggerMessage(1, LogLevel.Information, "Catalogue loaded from {Directory}: {ConfigCount} configs, {ChunkCount} chunks.")]
    public static partial void Loaded(ILogger logger, string directory, int configCount, int chunkCount);

    [LoggerMessage(2, LogLevel.Information, "Catalogue reloaded from {Directory}: {ConfigCount} configs, {ChunkCount} chunks.")]
    public static partial void Reloaded(ILogger logger, string directory, int configCount, int chunkCount);

    [LoggerMessage(3, LogLevel.Warning, "Catalogue change in {Directory} rejected; keeping the catalogue loaded at {LoadedAt:O}. {ErrorCount} error(s):\n{Errors}")]
    public static partial void ReloadRejected(ILogger logger, string directory, DateTimeOffset loadedAt, int errorCount, string errors);

    [LoggerMessage(4, LogLevel.Debug, "Catalogue file changed: {Path}; reloading after {DebounceMilliseconds} ms of quiet.")]
    public static partial void ChangeDetected(ILogger logger, string path, int debounceMilliseconds);

    [LoggerMessage(5, LogLevel.Warning, "Watching the catalogue directory {Directory} failed; changes are not picked up until the watcher recovers.")]
    public static partial void WatcherFailed(ILogger logger, string directory, Exception exception);

    [LoggerMessage(6, LogLevel.Information, "Watching {Directory} for catalogue changes.")]
    public static partial void Watching(ILogger logger, string directory);

    [LoggerMessage(7, LogLevel.Warning, "Adapter {Adapter} did not give its price table ({StatusCode}: {Detail}); its configs keep the catalogue's cost estimate.")]
    public static partial void PricesUnavailable(ILogger logger, string adapter, Grpc.Core.StatusCode statusCode, string detail);
}
