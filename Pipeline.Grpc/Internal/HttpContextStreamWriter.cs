using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Pipeline.Grpc.Internal;

/// <summary>
/// Writes response messages to the HTTP/2 body, flushing each one so the caller sees it at once. Writes are
/// serialized; once the call has completed (status written, deadline, abort) further writes fail.
/// </summary>
internal sealed class HttpContextStreamWriter<TResponse>(HttpContext httpContext, ServerCallContext context, int? maxSendSize)
    : IServerStreamWriter<TResponse>
    where TResponse : class, IMessage<TResponse>
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private bool _completed;

    public async Task WriteAsync(TResponse message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var linked = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context.CancellationToken)
            : null;
        var token = linked?.Token ?? context.CancellationToken;
        await _lock.WaitAsync(token);
        try
        {
            if (_completed)
            {
                throw new InvalidOperationException("Cannot write a message after the call has completed.");
            }
            token.ThrowIfCancellationRequested();
            GrpcFrame.Write(httpContext.Response.BodyWriter, message, maxSendSize);
            var result = await httpContext.Response.BodyWriter.FlushAsync(token);
            if (result.IsCanceled)
            {
                throw new OperationCanceledException("The write was cancelled.", token);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Stops further writes; waits for a write in progress to finish first.</summary>
    public async Task CompleteAsync()
    {
        await _lock.WaitAsync();
        _completed = true;
        _lock.Release();
    }
}
