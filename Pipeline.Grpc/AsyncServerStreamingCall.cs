namespace Pipeline.Grpc;

/// <summary>
/// A server-streaming call in flight. Read the messages with <see cref="ReadAllAsync"/> as they arrive; the stream
/// ends normally on OK and throws <see cref="RpcException"/> otherwise. Disposing an unfinished call cancels it.
/// </summary>
public sealed class AsyncServerStreamingCall<TResponse> : IAsyncDisposable, IDisposable
    where TResponse : class, Google.Protobuf.IMessage<TResponse>
{
    private readonly Internal.ServerStreamingClientCall<TResponse> _call;

    internal AsyncServerStreamingCall(Internal.ServerStreamingClientCall<TResponse> call) => _call = call;

    /// <summary>The response headers (custom metadata only).</summary>
    public Task<Metadata> ResponseHeadersAsync => _call.ResponseHeadersAsync;

    /// <summary>The messages, each yielded as soon as it has arrived.</summary>
    public IAsyncEnumerable<TResponse> ReadAllAsync(CancellationToken cancellationToken = default) => _call.ReadAllAsync(cancellationToken);

    /// <summary>The final status; only once the stream has ended.</summary>
    public Status GetStatus() => _call.GetStatus();

    /// <summary>The trailing metadata; only once the stream has ended.</summary>
    public Metadata GetTrailers() => _call.GetTrailers();

    /// <summary>Cancels the call if it is still running (the HTTP/2 stream is reset).</summary>
    public void Dispose() => _call.Dispose();

    public ValueTask DisposeAsync()
    {
        _call.Dispose();
        return ValueTask.CompletedTask;
    }
}
