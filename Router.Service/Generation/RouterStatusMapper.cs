using Grpc.Core;
using Pipeline.ServiceDefaults.Grpc;
using RpcStatus = Google.Rpc.Status;

namespace Router.Service.Generation;

/// <summary>
/// The one place an exception becomes the router's status. Registered with the fleet's exception interceptor
/// for gRPC; the HTTP edge calls <see cref="ToStatus"/> and renders the status as ProblemDetails or an SSE error event.
/// </summary>
public static class RouterStatusMapper
{
    /// <summary>The gRPC mapper hook: the status of a <see cref="RouterException"/>, or null for Grpc.AspNetCore to map.</summary>
    public static RpcStatus? Map(Exception exception) => exception is RouterException router ? router.Status : null;

    /// <summary>The status of any exception: router and RPC exceptions keep theirs, cancellation is CANCELLED, the rest UNKNOWN.</summary>
    public static RpcStatus ToStatus(Exception exception) => exception switch
    {
        RouterException router => router.Status,
        RpcException rpc => rpc.ToRichStatus(),
        OperationCanceledException => RichStatus.Create(StatusCode.Cancelled, "The call was cancelled."),
        _ => RichStatus.Create(StatusCode.Unknown, "The router failed unexpectedly; see its logs."),
    };
}
