namespace Pipeline.Grpc;

/// <summary>Handles a unary call.</summary>
public delegate Task<TResponse> UnaryServerMethod<in TService, in TRequest, TResponse>(
    TService service, TRequest request, ServerCallContext context);

/// <summary>Handles a server-streaming call: writes any number of responses, then returns.</summary>
public delegate Task ServerStreamingServerMethod<in TService, in TRequest, TResponse>(
    TService service, TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);

/// <summary>Handles a client-streaming call: reads the requests, returns one response.</summary>
public delegate Task<TResponse> ClientStreamingServerMethod<in TService, in TRequest, TResponse>(
    TService service, IAsyncEnumerable<TRequest> requestStream, ServerCallContext context);

/// <summary>Handles a bidirectional call.</summary>
public delegate Task DuplexStreamingServerMethod<in TService, TRequest, TResponse>(
    TService service, IAsyncEnumerable<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);
