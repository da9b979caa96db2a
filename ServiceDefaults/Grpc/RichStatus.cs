using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Pipeline.ServiceDefaults.Grpc;

/// <summary>Builds <c>google.rpc.Status</c> values, the rich form of a gRPC status that carries typed details.</summary>
public static class RichStatus
{
    /// <summary>A status with <paramref name="code"/>, a developer-facing <paramref name="message"/> and details
    /// such as <c>BadRequest</c>, <c>RetryInfo</c> or <c>ErrorInfo</c>.</summary>
    public static Google.Rpc.Status Create(StatusCode code, string message, params IMessage[] details)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        foreach (var detail in details)
        {
            status.Details.Add(Any.Pack(detail));
        }
        return status;
    }

    /// <summary>The status's code as <see cref="StatusCode"/>.</summary>
    public static StatusCode GetStatusCode(this Google.Rpc.Status status) => (StatusCode)status.Code;

    /// <summary>
    /// The rich status of a failed call: the one the server sent in <c>grpc-status-details-bin</c>, or one built from
    /// the plain status when there was none.
    /// </summary>
    public static Google.Rpc.Status ToRichStatus(this RpcException exception) =>
        exception.GetRpcStatus() ?? new Google.Rpc.Status { Code = (int)exception.StatusCode, Message = exception.Status.Detail };
}
