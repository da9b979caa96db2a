using Microsoft.Extensions.Logging;

namespace Pipeline.Grpc.Internal;

internal static partial class GrpcServerLog
{
    [LoggerMessage(1, LogLevel.Error, "Error when executing gRPC method {Method}.")]
    public static partial void HandlerFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(2, LogLevel.Debug, "gRPC call {Method} ended with {StatusCode}: {Detail}")]
    public static partial void CallEnded(ILogger logger, string method, StatusCode statusCode, string detail);

    [LoggerMessage(3, LogLevel.Debug, "gRPC call {Method} exceeded its deadline.")]
    public static partial void DeadlineExceeded(ILogger logger, string method);

    [LoggerMessage(4, LogLevel.Debug, "Unimplemented gRPC path {Path}.")]
    public static partial void Unimplemented(ILogger logger, string path);

    [LoggerMessage(5, LogLevel.Debug, "gRPC call {Method} was cancelled by the client.")]
    public static partial void CancelledByClient(ILogger logger, string method);
}
