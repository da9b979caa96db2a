using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Pipeline.ServiceDefaults.Grpc;

/// <summary>
/// The one place where a service's exceptions become gRPC statuses: an <see cref="RpcException"/> passes unchanged,
/// the service's <see cref="RpcExceptionMapper"/>s turn their own exception types into rich statuses
/// (<c>google.rpc.Status</c> with details, sent through Grpc.StatusProto), and anything else is left to
/// Grpc.AspNetCore (cancellation and deadlines become CANCELLED / DEADLINE_EXCEEDED, the rest UNKNOWN, logged).
/// </summary>
public sealed class RpcExceptionInterceptor(IEnumerable<RpcExceptionMapper> mappers) : Interceptor
{
    private readonly RpcExceptionMapper[] _mappers = [.. mappers];

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (Map(e, context) is { } status)
        {
            throw status.ToRpcException();
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (Map(e, context) is { } status)
        {
            throw status.ToRpcException();
        }
    }

    private Google.Rpc.Status? Map(Exception exception, ServerCallContext context)
    {
        if (exception is RpcException || context.CancellationToken.IsCancellationRequested && exception is OperationCanceledException)
        {
            return null;
        }
        foreach (var mapper in _mappers)
        {
            if (mapper.Map(exception) is { } status)
            {
                return status;
            }
        }
        return null;
    }
}
