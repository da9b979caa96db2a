namespace Gateway;

/// <summary>The gateway's log events. Keys never appear (only the first hex characters of their hash), nor image bytes.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1, LogLevel.Information, "Gateway ready: {KeyCount} API key(s) of {TenantCount} tenant(s); router gRPC {RouterGrpc}, router HTTP {RouterHttp}, storage HTTP {StorageHttp}.")]
    public static partial void Ready(ILogger logger, int keyCount, int tenantCount, Uri routerGrpc, Uri routerHttp, Uri storageHttp);

    [LoggerMessage(2, LogLevel.Information, "Refused {Path}: API key {Reason}.")]
    public static partial void ApiKeyRejected(ILogger logger, string path, string reason);

    [LoggerMessage(3, LogLevel.Information, "Rate limit for key {KeyId} on {Path}: {Limit}.")]
    public static partial void RateLimited(ILogger logger, string keyId, string path, string limit);

    [LoggerMessage(4, LogLevel.Information, "Refused {Path}: body of {Length} bytes over the limit of {Limit} bytes.")]
    public static partial void RequestTooLarge(ILogger logger, string path, long? length, long limit);

    [LoggerMessage(5, LogLevel.Information, "{Operation} run {RunId}: config {Config}, {ImageCount} image(s), streamed {Streamed}.")]
    public static partial void GenerationAccepted(ILogger logger, string operation, string runId, string config, int imageCount, bool streamed);

    [LoggerMessage(6, LogLevel.Information, "{Operation} run {RunId} done: {ImageCount} image(s), {Bytes} bytes.")]
    public static partial void GenerationCompleted(ILogger logger, string operation, string runId, int imageCount, long bytes);

    [LoggerMessage(7, LogLevel.Warning, "{Operation} failed with {StatusCode}: {Detail}")]
    public static partial void GenerationFailed(ILogger logger, string operation, Grpc.Core.StatusCode statusCode, string detail);

    [LoggerMessage(8, LogLevel.Information, "{Operation}: the caller went away.")]
    public static partial void CallerGone(ILogger logger, string operation);

    [LoggerMessage(9, LogLevel.Warning, "Listing configs failed with {StatusCode}: {Detail}")]
    public static partial void ListConfigsFailed(ILogger logger, Grpc.Core.StatusCode statusCode, string detail);

    [LoggerMessage(10, LogLevel.Information, "{Operation} run {RunId}: config {Config} now serves ({Provider}/{Model}) after {Earlier}.")]
    public static partial void GenerationFellBack(ILogger logger, string operation, string runId, string config, string provider, string model, string earlier);

    [LoggerMessage(11, LogLevel.Information, "Refused gRPC call to {Path}: no such method.")]
    public static partial void GrpcMethodUnknown(ILogger logger, string path);

    [LoggerMessage(12, LogLevel.Information, "Refused gRPC call to {Method} with {StatusCode}: {Problem}.")]
    public static partial void GrpcRequestRefused(ILogger logger, string method, Grpc.Core.StatusCode statusCode, string problem);

    [LoggerMessage(13, LogLevel.Warning, "The shared per-key limits in PostgreSQL could not be reached ({Operation}): {Problem}. Requests are let through meanwhile.")]
    public static partial void SharedLimitsUnavailable(ILogger logger, string operation, string problem);
}
