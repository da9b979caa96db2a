using System.Diagnostics;
using Grpc.Core;
using OpenTelemetry;

namespace Pipeline.ServiceDefaults.Telemetry;

/// <summary>
/// Adds the widely read gRPC span attributes <c>rpc.system</c>, <c>rpc.service</c> and <c>rpc.grpc.status_code</c> to
/// the server spans of the ASP.NET Core instrumentation, which (1.20) writes only the newer <c>rpc.system.name</c>,
/// <c>rpc.method</c> (<c>service/method</c>) and <c>rpc.response.status_code</c> (a name). Backends and dashboards
/// that group calls by service and code keep working with either convention.
/// </summary>
internal sealed class GrpcSpanAttributes : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (data.GetTagItem("rpc.system.name") is not "grpc" || data.GetTagItem("rpc.system") is not null)
        {
            return;
        }
        data.SetTag("rpc.system", "grpc");
        if (data.GetTagItem("rpc.method") is string method && method.LastIndexOf('/') is var slash and > 0)
        {
            data.SetTag("rpc.service", method[..slash]);
        }
        if (data.GetTagItem("rpc.response.status_code") is string name
            && Enum.TryParse<StatusCode>(name.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var code))
        {
            data.SetTag("rpc.grpc.status_code", (int)code);
        }
    }
}
