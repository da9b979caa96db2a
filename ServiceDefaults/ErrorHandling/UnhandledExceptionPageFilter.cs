using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Pipeline.ServiceDefaults.ErrorHandling;

/// <summary>
/// Replaces the developer exception page's content (stack trace, source, every request header) with the same
/// ProblemDetails the production pipeline answers; the page's middleware has already logged the exception.
/// </summary>
internal sealed class UnhandledExceptionPageFilter(ILogger<UnhandledExceptionPageFilter> logger) : IDeveloperPageExceptionFilter
{
    public Task HandleExceptionAsync(ErrorContext errorContext, Func<ErrorContext, Task> next) =>
        UnhandledExceptionResponse.WriteAsync(errorContext.HttpContext, errorContext.Exception, logger);
}
