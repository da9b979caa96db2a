using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Pipeline.ServiceDefaults.Grpc;

/// <summary>Builds <c>google.rpc.Status</c> values, the rich form of a gRPC status that carries typed details.</summary>
public static class RichStatus
{
    /// <summary>
    /// The longest message, and the longest field name or description of a <c>BadRequest</c>, a status carries; longer
    /// text is cut with "…". Messages echo what a caller sent (a 4 MB "quality" value), and a status travels in HTTP/2
    /// trailers, which peers limit (grpc-dotnet: 64 KiB): an uncut echo made the caller's own mistake look like an outage.
    /// </summary>
    public const int MaxTextLength = 1024;

    /// <summary>A status with <paramref name="code"/>, a developer-facing <paramref name="message"/> and details
    /// such as <c>BadRequest</c>, <c>RetryInfo</c> or <c>ErrorInfo</c>; texts longer than <see cref="MaxTextLength"/> are cut.</summary>
    public static Google.Rpc.Status Create(StatusCode code, string message, params IMessage[] details)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = Cut(message) };
        foreach (var detail in details)
        {
            if (detail is Google.Rpc.BadRequest badRequest)
            {
                foreach (var violation in badRequest.FieldViolations)
                {
                    violation.Field = Cut(violation.Field);
                    violation.Description = Cut(violation.Description);
                }
            }
            status.Details.Add(Any.Pack(detail));
        }
        return status;
    }

    private static string Cut(string text) => text.Length <= MaxTextLength ? text : string.Concat(text.AsSpan(0, MaxTextLength), "…");

    /// <summary>The status's code as <see cref="StatusCode"/>.</summary>
    public static StatusCode GetStatusCode(this Google.Rpc.Status status) => (StatusCode)status.Code;

    /// <summary>
    /// The rich status of a failed call: the one the server sent in <c>grpc-status-details-bin</c>, or one built from
    /// the plain status when there was none.
    /// </summary>
    public static Google.Rpc.Status ToRichStatus(this RpcException exception) =>
        exception.GetRpcStatus() ?? new Google.Rpc.Status { Code = (int)exception.StatusCode, Message = exception.Status.Detail };
}
