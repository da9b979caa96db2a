namespace ProviderEmulator.Hosting;

/// <summary>Emulator log messages. Sizes, ids and names only: never image payloads or keys.</summary>
internal static partial class EmulatorLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Method} {Path} started as {RequestId}")]
    public static partial void RequestStarted(ILogger logger, string method, string path, string requestId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Method} {Path} ({RequestId}) -> {StatusCode} in {ElapsedMs} ms")]
    public static partial void RequestCompleted(ILogger logger, string method, string path, string requestId, int statusCode, long elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Client disconnected from {Path} ({RequestId}) after {ElapsedMs} ms")]
    public static partial void ClientDisconnected(ILogger logger, string path, string requestId, long elapsedMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Injecting faults '{Faults}' into {Path} ({RequestId})")]
    public static partial void FaultsInjected(ILogger logger, string faults, string path, string requestId);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Cut the connection of {Path} ({RequestId}) on purpose")]
    public static partial void ConnectionCut(ILogger logger, string path, string requestId);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "{Path} ({RequestId}) rejected with {StatusCode} {Code}")]
    public static partial void Rejected(ILogger logger, string path, string requestId, int statusCode, string? code);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "{Path} ({RequestId}) failed inside the emulator")]
    public static partial void UnhandledError(ILogger logger, Exception exception, string path, string requestId);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Encoded a {Width}x{Height} {Format} image: {Bytes} bytes in {ElapsedMs:F1} ms")]
    public static partial void ImageEncoded(ILogger logger, int width, int height, string format, int bytes, double elapsedMs);
}
