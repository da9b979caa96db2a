namespace Dashboard;

/// <summary>
/// The dashboard's log events. Nothing is logged per accepted request: the AppHost pushes the dashboard's own console
/// back to it, so a line per export would feed itself.
/// </summary>
internal static partial class DashboardLog
{
    [LoggerMessage(1, LogLevel.Warning, "OTLP {Signal} request rejected: {Reason}")]
    public static partial void OtlpRequestRejected(ILogger logger, string signal, string reason);

    [LoggerMessage(2, LogLevel.Warning, "{Count} spans rejected: {Reason}")]
    public static partial void SpansRejected(ILogger logger, int count, string reason);
}
