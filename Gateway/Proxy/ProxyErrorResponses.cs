using Gateway.Configuration;
using Gateway.Errors;
using Gateway.RequestLimits;
using Grpc.Core;

namespace Gateway.Proxy;

/// <summary>
/// Gives the errors YARP answers itself (backend unreachable, timed out, body over the limit) a body: the OpenAI
/// envelope for HTTP (as every refusal of the gateway's own), a gRPC status for gRPC calls. Answers from the backends
/// pass unchanged.
/// </summary>
public static class ProxyErrorResponses
{
    /// <summary>A step of YARP's proxy pipeline, after forwarding.</summary>
    public static async Task WriteAsync(HttpContext context, Func<Task> next)
    {
        await next();
        var error = context.GetForwarderErrorFeature();
        if (error is null || context.Response.HasStarted)
        {
            return;
        }
        var status = context.Response.StatusCode;
        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            await RequestSizeLimitMiddleware.WriteTooLargeAsync(context, context.RequestServices.GetRequiredService<GatewayOptions>().MaxRequestBodyBytes);
            return;
        }
        var timedOut = status == StatusCodes.Status504GatewayTimeout;
        var message = timedOut
            ? "The backend did not answer in time."
            : $"The backend could not be reached ({error.Error}).";
        if (GrpcErrorResponse.IsGrpc(context.Request))
        {
            await GrpcErrorResponse.WriteAsync(context.Response, timedOut ? StatusCode.DeadlineExceeded : StatusCode.Unavailable, message);
            return;
        }
        await new OpenAIError(status, message, timedOut ? "server_error" : "service_unavailable_error", Code: timedOut ? "timeout" : "backend_unavailable")
            .WriteAsync(context.Response);
    }
}
