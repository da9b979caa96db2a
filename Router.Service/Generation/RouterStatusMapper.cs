using Pipeline.Grpc;

namespace Router.Service.Generation;

/// <summary>
/// The one place an exception becomes the router's status. Registered in <see cref="GrpcServerOptions.ExceptionMappers"/>
/// for gRPC; the HTTP edge calls <see cref="ToStatus"/> and renders the status as ProblemDetails or an SSE error event.
/// </summary>
public static class RouterStatusMapper
{
    /// <summary>The gRPC mapper hook: the status of a <see cref="RouterException"/>, or null for the wire layer to map.</summary>
    public static Status? Map(Exception exception) => exception is RouterException router ? router.Status : null;

    /// <summary>The status of any exception: router and RPC exceptions keep theirs, cancellation is CANCELLED, the rest UNKNOWN.</summary>
    public static Status ToStatus(Exception exception) => exception switch
    {
        RouterException router => router.Status,
        RpcException rpc => rpc.Status,
        OperationCanceledException => new Status(StatusCode.Cancelled, "The call was cancelled."),
        _ => new Status(StatusCode.Unknown, "The router failed unexpectedly; see its logs."),
    };
}
