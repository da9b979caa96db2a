using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Configuration;

namespace Pipeline.ServiceDefaults.Grpc;

/// <summary>
/// Fails a call to a service whose <c>grpc</c> endpoint has no configured address (<c>services:{name}:grpc:0</c>, which
/// the AppHost sets for every reference) as UNAVAILABLE naming the key to set, before any connection is tried.
/// </summary>
internal sealed class ServiceAddressInterceptor(IConfiguration configuration, string service) : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        EnsureConfigured();
        return continuation(request, context);
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        EnsureConfigured();
        return continuation(request, context);
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        EnsureConfigured();
        return continuation(request, context);
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        EnsureConfigured();
        return continuation(context);
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        EnsureConfigured();
        return continuation(context);
    }

    private void EnsureConfigured()
    {
        if (!ServiceAddresses.IsConfigured(configuration, service, "grpc"))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, ServiceAddresses.Missing(service, "grpc")));
        }
    }
}
