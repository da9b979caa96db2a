using System.Diagnostics;

namespace Pipeline.Grpc;

/// <summary>The wire layer's telemetry: one <see cref="ActivitySource"/> for client and server gRPC spans.</summary>
public static class GrpcDiagnostics
{
    /// <summary>The ActivitySource name to listen to (e.g. in OpenTelemetry's <c>AddSource</c>).</summary>
    public const string ActivitySourceName = "Pipeline.Grpc";

    internal static readonly ActivitySource Source = new(ActivitySourceName, "1.0.0");

    internal static void SetRpcTags(Activity activity, string service, string method)
    {
        activity.SetTag("rpc.system", "grpc");
        activity.SetTag("rpc.service", service);
        activity.SetTag("rpc.method", method);
    }

    internal static void SetStatus(Activity? activity, Status status, bool isServer)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetTag("rpc.grpc.status_code", (int)status.Code);
        // OpenTelemetry rpc semantic conventions: a server span is an error only for codes that mean the server failed.
        var isError = isServer
            ? status.Code is StatusCode.Unknown or StatusCode.DeadlineExceeded or StatusCode.Unimplemented
                or StatusCode.Internal or StatusCode.Unavailable or StatusCode.DataLoss
            : status.Code != StatusCode.OK;
        if (isError)
        {
            activity.SetStatus(ActivityStatusCode.Error, status.Detail);
        }
    }
}
