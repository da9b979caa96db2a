namespace Pipeline.Grpc.Internal;

/// <summary>
/// The one place where exceptions become statuses on the server: <see cref="RpcException"/> keeps its status; the
/// application's mappers come next; cancellation means DEADLINE_EXCEEDED or CANCELLED; anything else is UNKNOWN.
/// </summary>
internal static class ExceptionStatusMapper
{
    public const string HandlerFailedMessage = "Exception was thrown by handler.";

    public static (Status Status, Metadata? Trailers, bool Unexpected) Map(
        Exception exception, GrpcServerOptions options, bool deadlineExpired, bool clientAborted)
    {
        if (exception is RpcException rpc)
        {
            return (rpc.Status, rpc.Trailers, false);
        }
        foreach (var mapper in options.ExceptionMappers)
        {
            if (mapper(exception) is { } mapped)
            {
                return (mapped, null, false);
            }
        }
        if (exception is OperationCanceledException or IOException or Microsoft.AspNetCore.Connections.ConnectionAbortedException)
        {
            if (deadlineExpired)
            {
                return (new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"), null, false);
            }
            if (clientAborted)
            {
                return (new Status(StatusCode.Cancelled, "Call canceled by the client."), null, false);
            }
        }
        var detail = options.EnableDetailedErrors
            ? $"{HandlerFailedMessage} {exception.GetType().Name}: {exception.Message}"
            : HandlerFailedMessage;
        return (new Status(StatusCode.Unknown, detail), null, true);
    }
}
