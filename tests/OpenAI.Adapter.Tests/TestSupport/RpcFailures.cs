using Google.Protobuf;
using Grpc.Core;
using Pipeline.ServiceDefaults.Grpc;

namespace OpenAI.Adapter.Tests.TestSupport;

/// <summary>The rich status (google.rpc.Status from grpc-status-details-bin) of a failed call, and its details.</summary>
internal static class RpcFailures
{
    /// <summary>The detail of type <typeparamref name="T"/> the server sent with the status; null when it sent none.</summary>
    public static T? RichDetail<T>(this RpcException exception) where T : class, IMessage<T>, new() => exception.ToRichStatus().GetDetail<T>();

    /// <summary>Code, message and every detail, for failure messages and leak scans.</summary>
    public static string Describe(RpcException exception) => $"{exception.Status} {StatusAssert.Describe(exception.ToRichStatus())}";
}
