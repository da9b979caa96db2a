using Microsoft.Extensions.Logging;

namespace Pipeline.ServiceDefaults.Security;

/// <summary>Log messages of the internal secret check (never the secret itself).</summary>
internal static partial class InternalSecretLog
{
    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning,
        Message = "Pipeline:InternalSecret is not set: this service accepts calls from anyone (the AppHost sets Pipeline__InternalSecret for every service).")]
    public static partial void NotConfigured(ILogger logger);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning,
        Message = "Pipeline:InternalSecret is not set: this front door calls the fleet's internal services without it, and they refuse such calls when they have one.")]
    public static partial void FrontDoorNotConfigured(ILogger logger);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Information,
        Message = "Refused {Protocol} call to {Path}: the internal secret is missing or wrong.")]
    public static partial void Refused(ILogger logger, string protocol, string path);
}
