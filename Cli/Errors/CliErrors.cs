using Google.Rpc;
using Grpc.Core;
using Spectre.Console;

namespace Pipeline.Cli.Errors;

/// <summary>The one place that turns a failure into a message and an exit code (<see cref="ExitCodes"/>). Never a stack trace.</summary>
internal static class CliErrors
{
    public static int Report(Exception exception, IAnsiConsole error, CancellationToken ct)
    {
        switch (exception)
        {
            case OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled } when ct.IsCancellationRequested:
                error.MarkupLine("[yellow]cancelled[/]");
                return ExitCodes.Cancelled;
            case CliUsageException usage:
                error.MarkupLineInterpolated($"[red]error:[/] {usage.Message}");
                return ExitCodes.BadArguments;
            case RpcException rpc when IsUnavailable(rpc.StatusCode):
                var cause = rpc.Status.DebugException?.GetBaseException().Message;
                error.MarkupLineInterpolated($"[red]unavailable ({Name(rpc.StatusCode)}):[/] {rpc.Status.Detail}{(cause is null ? "" : $" ({cause})")}");
                return ExitCodes.Unavailable;
            case RpcException rpc:
                ReportRefusal(rpc, error);
                return ExitCodes.Refused;
            case HttpRequestException { StatusCode: null } http:
                error.MarkupLineInterpolated($"[red]unavailable:[/] {http.Message}");
                return ExitCodes.Unavailable;
            case HttpStatusException http:
                error.MarkupLineInterpolated($"[red]{(http.Unavailable ? "unavailable" : "refused")} (HTTP {(int)http.StatusCode}):[/] {http.Message}");
                return http.Unavailable ? ExitCodes.Unavailable : ExitCodes.Refused;
            default:
                error.MarkupLineInterpolated($"[red]error:[/] {exception.Message}");
                return ExitCodes.Failed;
        }
    }

    private static bool IsUnavailable(StatusCode code) =>
        code is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled;

    private static void ReportRefusal(RpcException rpc, IAnsiConsole error)
    {
        error.MarkupLineInterpolated($"[red]refused ({Name(rpc.StatusCode)}):[/] {rpc.Status.Detail}");
        var violations = rpc.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations ?? [];
        // Only the violations the message does not already spell out (the router's message lists them all).
        foreach (var violation in violations.Where(v => !rpc.Status.Detail.Contains(v.Description, StringComparison.Ordinal)))
        {
            error.MarkupLineInterpolated($"  [bold]{violation.Field}[/]: {violation.Description}");
        }
    }

    /// <summary>The status code as the gRPC spec spells it, e.g. INVALID_ARGUMENT.</summary>
    private static string Name(StatusCode code) =>
        string.Concat(code.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();
}
