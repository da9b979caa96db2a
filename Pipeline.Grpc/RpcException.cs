namespace Pipeline.Grpc;

/// <summary>
/// A call ended with a non-OK status. Servers throw it to end a call with that status; clients receive it
/// with the status and trailing metadata the server sent (or one synthesized when none arrived).
/// </summary>
public sealed class RpcException : Exception
{
    public RpcException(Status status, Metadata? trailers = null, Exception? innerException = null)
        : base(status.ToString(), innerException)
    {
        Status = status;
        Trailers = trailers ?? new Metadata();
    }

    /// <summary>The call's status.</summary>
    public Status Status { get; }

    /// <summary>The status code.</summary>
    public StatusCode StatusCode => Status.Code;

    /// <summary>Trailing metadata (client side: what the server sent; server side: extra trailers to send).</summary>
    public Metadata Trailers { get; }
}
