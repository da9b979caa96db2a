using Microsoft.Extensions.Logging;

namespace Pipeline.ServiceDefaults.ErrorHandling;

/// <summary>Log events of the unhandled-exception answer. Only the method and path of the request, never its headers.</summary>
internal static partial class ErrorHandlingLog
{
    [LoggerMessage(EventId = 9201, Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}; answered 500 without details.")]
    public static partial void Unhandled(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 9202, Level = LogLevel.Information, Message = "Malformed request on {Method} {Path}; answered {Status}.")]
    public static partial void BadRequest(ILogger logger, string method, string path, int status);

    [LoggerMessage(EventId = 9203, Level = LogLevel.Debug, Message = "{Method} {Path}: the caller went away.")]
    public static partial void RequestAborted(ILogger logger, string method, string path);
}
