namespace Pipeline.Grpc;

/// <summary>A unary call in flight: its response, headers, status and trailers.</summary>
public sealed class AsyncUnaryCall<TResponse> : IDisposable
{
    private readonly Internal.ClientCallBase _call;

    internal AsyncUnaryCall(Internal.ClientCallBase call, Task<TResponse> response)
    {
        _call = call;
        ResponseAsync = response;
    }

    /// <summary>The response; faults with <see cref="RpcException"/> on a non-OK status.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>The response headers (custom metadata only).</summary>
    public Task<Metadata> ResponseHeadersAsync => _call.ResponseHeadersAsync;

    /// <summary>The final status; only once the call has ended.</summary>
    public Status GetStatus() => _call.GetStatus();

    /// <summary>The trailing metadata; only once the call has ended.</summary>
    public Metadata GetTrailers() => _call.GetTrailers();

    public System.Runtime.CompilerServices.TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();

    /// <summary>Cancels the call if it is still running.</summary>
    public void Dispose() => _call.Dispose();
}
