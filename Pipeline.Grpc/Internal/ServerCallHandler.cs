using System.Diagnostics;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Pipeline.Grpc.Internal;

/// <summary>A mapped gRPC method: its path and the request delegate that serves it.</summary>
internal interface IServerMethodBinding
{
    string Path { get; }

    Task HandleAsync(HttpContext httpContext);
}

/// <summary>
/// Serves one call: protocol checks, deadline, handler, status. Subclasses only say how messages flow for their shape.
/// </summary>
internal abstract class ServerCallHandler<TService, TRequest, TResponse>(Method<TRequest, TResponse> method) : IServerMethodBinding
    where TService : class
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    protected Method<TRequest, TResponse> Method { get; } = method;

    public string Path => Method.FullName;

    public async Task HandleAsync(HttpContext httpContext)
    {
        if (!ServerProtocol.ValidateRequest(httpContext))
        {
            return;
        }
        ServerProtocol.DisableHttpLimits(httpContext);
        var services = httpContext.RequestServices;
        var options = services.GetRequiredService<IOptions<GrpcServerOptions>>().Value;
        var logger = services.GetRequiredService<ILogger<GrpcServiceRegistry>>();

        string? encoding = httpContext.Request.Headers[GrpcProtocol.EncodingHeader];
        if (encoding is not (null or "identity" or "gzip" or "deflate"))
        {
            httpContext.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;
            ServerProtocol.WriteStatus(httpContext, new Status(StatusCode.Unimplemented,
                $"Unsupported grpc-encoding value '{encoding}'. Supported encodings: {GrpcProtocol.SupportedEncodings}"), null, null);
            return;
        }

        var timeout = GrpcTimeout.Parse(httpContext.Request.Headers[GrpcProtocol.TimeoutHeader]);
        using var deadlineCts = new CancellationTokenSource();
        using var callCts = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, deadlineCts.Token);
        var context = new ServerCallContext(httpContext, Path, MetadataCodec.ReadHeaders(httpContext.Request.Headers),
            timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue, callCts.Token);
        using var activity = StartActivity(httpContext);

        httpContext.Response.ContentType = GrpcProtocol.ContentType;
        httpContext.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;
        var reader = new MessageReader(httpContext.Request.BodyReader, options.MaxReceiveMessageSize, encoding);
        var writer = new HttpContextStreamWriter<TResponse>(httpContext, context, options.MaxSendMessageSize);

        var deadlineReached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var deadlineRegistration = deadlineCts.Token.Register(() => deadlineReached.TrySetResult());
        if (timeout is { } callTimeout && callTimeout < GrpcTimeout.MaxTimerDelay)
        {
            // Longer timeouts (up to 99999999S is legal) are as good as none, and CancelAfter would reject them.
            deadlineCts.CancelAfter(callTimeout);
        }

        var handlerTask = RunAsync(httpContext, reader, writer, context);
        Status status;
        Metadata? extraTrailers = null;
        if (await Task.WhenAny(handlerTask, deadlineReached.Task) != handlerTask)
        {
            // The deadline passed while the handler runs: stop its writes, send DEADLINE_EXCEEDED, reset the stream.
            await writer.CompleteAsync();
            status = new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
            GrpcServerLog.DeadlineExceeded(logger, Path);
            GrpcDiagnostics.SetStatus(activity, status, isServer: true);
            if (!httpContext.RequestAborted.IsCancellationRequested)
            {
                ServerProtocol.WriteStatus(httpContext, status, context.ResponseTrailers, null);
                await httpContext.Response.CompleteAsync();
                ServerProtocol.ResetStream(httpContext);
            }
            await handlerTask.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return;
        }
        try
        {
            await handlerTask;
            status = Status.Ok;
        }
        catch (Exception ex)
        {
            var mapped = ExceptionStatusMapper.Map(ex, options, deadlineCts.IsCancellationRequested, httpContext.RequestAborted.IsCancellationRequested);
            status = mapped.Status;
            extraTrailers = mapped.Trailers;
            if (mapped.Unexpected)
            {
                GrpcServerLog.HandlerFailed(logger, Path, ex);
            }
            else if (status.Code == StatusCode.Cancelled)
            {
                GrpcServerLog.CancelledByClient(logger, Path);
            }
        }
        await writer.CompleteAsync();
        GrpcDiagnostics.SetStatus(activity, status, isServer: true);
        if (status.Code != StatusCode.OK)
        {
            GrpcServerLog.CallEnded(logger, Path, status.Code, status.Detail);
        }
        if (!httpContext.RequestAborted.IsCancellationRequested)
        {
            ServerProtocol.WriteStatus(httpContext, status, context.ResponseTrailers, extraTrailers);
        }
    }

    /// <summary>Reads the request(s), calls the handler, writes the response(s).</summary>
    protected abstract Task RunCallAsync(TService service, MessageReader reader, HttpContextStreamWriter<TResponse> writer, ServerCallContext context);

    private async Task RunAsync(HttpContext httpContext, MessageReader reader, HttpContextStreamWriter<TResponse> writer, ServerCallContext context)
    {
        // Yield first so the deadline race starts before any handler code runs.
        await Task.Yield();
        var services = httpContext.RequestServices;
        var service = services.GetService<TService>();
        var created = service is null;
        service ??= ActivatorUtilities.CreateInstance<TService>(services);
        try
        {
            await RunCallAsync(service, reader, writer, context);
        }
        finally
        {
            if (created && service is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else if (created && service is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }

    private Activity? StartActivity(HttpContext httpContext)
    {
        if (!GrpcDiagnostics.Source.HasListeners())
        {
            return null;
        }
        var parent = default(ActivityContext);
        if (Activity.Current is not { } current || !current.Source.HasListeners())
        {
            // ASP.NET Core creates its request activity even when nobody records it (e.g. because logging is on);
            // nesting under that would hang our span off a span no exporter sees. Parent on the caller's traceparent.
            ActivityContext.TryParse(httpContext.Request.Headers.TraceParent, httpContext.Request.Headers.TraceState, isRemote: true, out parent);
            Activity.Current = null;
        }
        var activity = GrpcDiagnostics.Source.StartActivity($"{Method.ServiceName}/{Method.Name}", ActivityKind.Server, parent);
        if (activity is not null)
        {
            GrpcDiagnostics.SetRpcTags(activity, Method.ServiceName, Method.Name);
            activity.SetTag("server.port", httpContext.Connection.LocalPort);
            activity.SetTag("network.peer.address", httpContext.Connection.RemoteIpAddress?.ToString());
        }
        return activity;
    }
}

internal sealed class UnaryBinding<TService, TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TService, TRequest, TResponse> handler)
    : ServerCallHandler<TService, TRequest, TResponse>(method)
    where TService : class
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    protected override async Task RunCallAsync(TService service, MessageReader reader, HttpContextStreamWriter<TResponse> writer, ServerCallContext context)
    {
        var request = await reader.ReadSingleAsync(Method.RequestParser, context.CancellationToken);
        var response = await handler(service, request, context)
            ?? throw new RpcException(new Status(StatusCode.Cancelled, "No message returned from method."));
        await writer.WriteAsync(response, context.CancellationToken);
    }
}

internal sealed class ServerStreamingBinding<TService, TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TService, TRequest, TResponse> handler)
    : ServerCallHandler<TService, TRequest, TResponse>(method)
    where TService : class
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    protected override async Task RunCallAsync(TService service, MessageReader reader, HttpContextStreamWriter<TResponse> writer, ServerCallContext context)
    {
        var request = await reader.ReadSingleAsync(Method.RequestParser, context.CancellationToken);
        await handler(service, request, writer, context);
    }
}

internal sealed class ClientStreamingBinding<TService, TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TService, TRequest, TResponse> handler)
    : ServerCallHandler<TService, TRequest, TResponse>(method)
    where TService : class
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    protected override async Task RunCallAsync(TService service, MessageReader reader, HttpContextStreamWriter<TResponse> writer, ServerCallContext context)
    {
        var response = await handler(service, reader.ReadAllAsync(Method.RequestParser, context.CancellationToken), context)
            ?? throw new RpcException(new Status(StatusCode.Cancelled, "No message returned from method."));
        await writer.WriteAsync(response, context.CancellationToken);
    }
}

internal sealed class DuplexStreamingBinding<TService, TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TService, TRequest, TResponse> handler)
    : ServerCallHandler<TService, TRequest, TResponse>(method)
    where TService : class
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    protected override Task RunCallAsync(TService service, MessageReader reader, HttpContextStreamWriter<TResponse> writer, ServerCallContext context) =>
        handler(service, reader.ReadAllAsync(Method.RequestParser, context.CancellationToken), writer, context);
}
