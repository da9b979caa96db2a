using Gateway.Errors;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy;

/// <summary>
/// A forwarded gRPC call whose backend goes away after the answer began (a router replica killed mid-stream) ends with
/// UNAVAILABLE in its trailers, the status a client retries on, instead of a reset stream (which clients report as
/// CANCELLED or INTERNAL). YARP resets the caller's stream when the backend's body breaks, so the abort is held back for
/// gRPC calls and the trailers written in its place; every other abort (the caller gone, an HTTP call) goes through.
/// The body passes on whole messages only (<see cref="GrpcMessageAlignedStream"/>): a message the backend was cut off in
/// the middle of is dropped, not half delivered.
/// </summary>
public static class BackendLossTrailers
{
    /// <summary>What the caller reads in <c>grpc-message</c>.</summary>
    public const string Message = "The router serving this call went away mid-stream; the call can be retried.";

    /// <summary>A step of YARP's proxy pipeline, around forwarding.</summary>
    public static async Task WriteAsync(HttpContext context, Func<Task> next)
    {
        if (!GrpcErrorResponse.IsGrpc(context.Request) || context.Features.Get<IHttpRequestLifetimeFeature>() is not { } lifetime)
        {
            await next();
            return;
        }
        var reset = context.Features.Get<IHttpResetFeature>();
        var held = new HeldAbort(lifetime, reset);
        var body = context.Response.Body;
        context.Response.Body = new GrpcMessageAlignedStream(body);
        context.Features.Set<IHttpRequestLifetimeFeature>(held);
        if (reset is not null)
        {
            context.Features.Set<IHttpResetFeature>(held);
        }
        try
        {
            await next();
        }
        finally
        {
            context.Response.Body = body;
            context.Features.Set(lifetime);
            if (reset is not null)
            {
                context.Features.Set(reset);
            }
        }
        if (!held.Requested)
        {
            return;
        }
        var error = context.GetForwarderErrorFeature()?.Error;
        var backendLost = error is ForwarderError.ResponseBodyDestination or ForwarderError.ResponseBodyCanceled;
        if (backendLost && context.Response.HasStarted && !lifetime.RequestAborted.IsCancellationRequested && context.Response.SupportsTrailers())
        {
            context.Response.AppendTrailer("grpc-status", ((int)StatusCode.Unavailable).ToString(System.Globalization.CultureInfo.InvariantCulture));
            context.Response.AppendTrailer("grpc-message", Message);
            return;
        }
        held.Release();
    }

    /// <summary>The request's lifetime and HTTP/2 reset with <see cref="Abort"/> and <see cref="Reset"/> only noted until released.</summary>
    private sealed class HeldAbort(IHttpRequestLifetimeFeature lifetime, IHttpResetFeature? reset) : IHttpRequestLifetimeFeature, IHttpResetFeature
    {
        private int? _resetCode;

        public bool Requested { get; private set; }

        public CancellationToken RequestAborted
        {
            get => lifetime.RequestAborted;
            set => lifetime.RequestAborted = value;
        }

        public void Abort() => Requested = true;

        public void Reset(int errorCode)
        {
            Requested = true;
            _resetCode = errorCode;
        }

        /// <summary>Does what was held back.</summary>
        public void Release()
        {
            if (_resetCode is { } code && reset is not null)
            {
                reset.Reset(code);
            }
            else
            {
                lifetime.Abort();
            }
        }
    }
}
