using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pipeline.ServiceDefaults.ErrorHandling;

/// <summary>
/// The answer to an exception nobody handled: ProblemDetails with a fixed title, the status and the trace id, never
/// the exception's message, its stack or anything from the request. A malformed request that Kestrel or model binding
/// reports (<see cref="BadHttpRequestException"/>) keeps its 4xx: a client's mistake is never a 5xx.
/// </summary>
internal static class UnhandledExceptionResponse
{
    public static async Task WriteAsync(HttpContext context, Exception exception, ILogger logger)
    {
        var status = exception is BadHttpRequestException { StatusCode: >= 400 and < 500 } badRequest
            ? badRequest.StatusCode
            : StatusCodes.Status500InternalServerError;
        if (status == StatusCodes.Status500InternalServerError)
        {
            ErrorHandlingLog.Unhandled(logger, context.Request.Method, context.Request.Path, exception);
        }
        else
        {
            ErrorHandlingLog.BadRequest(logger, context.Request.Method, context.Request.Path, status);
        }
        // Whatever the endpoint had set (headers, cookies) goes: only what is written here is sent.
        context.Response.Clear();
        context.Response.StatusCode = status;
        var problem = new ProblemDetails
        {
            Status = status,
            Title = status == StatusCodes.Status500InternalServerError
                ? "An unexpected error occurred. The service logged it; quote the trace id when reporting it."
                : "The request could not be read.",
        };
        var service = context.RequestServices.GetService<IProblemDetailsService>();
        if (service is null || !await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            // The caller's Accept header refused JSON: the status alone answers.
            context.Response.ContentType = null;
        }
    }
}
