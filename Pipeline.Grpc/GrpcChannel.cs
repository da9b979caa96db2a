using Google.Protobuf;
using Pipeline.Grpc.Internal;

namespace Pipeline.Grpc;

/// <summary>
/// A client connection to one gRPC server (h2c or TLS). Thread-safe and meant to be long-lived: one per target,
/// its HTTP/2 connections pooled and shared by every call.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private readonly HttpMessageInvoker _invoker;
    private readonly bool _disposeInvoker;

    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        Address = address;
        Options = options;
        _disposeInvoker = options.HttpHandler is null || options.DisposeHttpHandler;
        _invoker = new HttpMessageInvoker(options.HttpHandler ?? ChannelHandlerFactory.Create(), _disposeInvoker);
    }

    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:5001</c>.</summary>
    public Uri Address { get; }

    internal GrpcChannelOptions Options { get; }

    internal HttpMessageInvoker Invoker => _invoker;

    /// <summary>A channel to <paramref name="address"/>.</summary>
    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null) => new(address, options ?? new GrpcChannelOptions());

    /// <summary>A channel to <paramref name="address"/>.</summary>
    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null) => ForAddress(new Uri(address), options);

    /// <summary>Starts a unary call.</summary>
    public AsyncUnaryCall<TResponse> StartUnary<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var call = new UnaryClientCall<TResponse>(this, method.FullName, method.ResponseParser, options);
        return new AsyncUnaryCall<TResponse>(call, call.RunAsync(request));
    }

    /// <summary>Makes a unary call; throws <see cref="RpcException"/> on a non-OK status.</summary>
    public Task<TResponse> UnaryAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
        => StartUnary(method, request, options).ResponseAsync;

    /// <summary>Starts a server-streaming call. The request is sent at once; read the responses from the returned call.</summary>
    public AsyncServerStreamingCall<TResponse> ServerStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var call = new ServerStreamingClientCall<TResponse>(this, method.FullName, method.ResponseParser, options);
        call.Start(request);
        return new AsyncServerStreamingCall<TResponse>(call);
    }

    public void Dispose() => _invoker.Dispose();
}
