using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Pipeline.ServiceDefaults.ErrorHandling;

/// <summary>
/// Catches what the pipeline throws: a client that went away gets nothing, anything else a ProblemDetails answer
/// (<see cref="UnhandledExceptionResponse"/>) unless the response has started, in which case the connection is aborted.
/// </summary>
internal sealed class UnhandledExceptionMiddleware(RequestDelegate next, ILogger<UnhandledExceptionMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            ErrorHandlingLog.RequestAborted(logger, context.Request.Method, context.Request.Path);
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            await UnhandledExceptionResponse.WriteAsync(context, ex, logger);
        }
    }
}
