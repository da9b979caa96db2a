using System.Globalization;
using Gateway.Configuration;
using Gateway.Errors;
using Microsoft.AspNetCore.Http.Features;
using Grpc.Core;

namespace Gateway.RequestLimits;

/// <summary>
/// Caps request bodies at <see cref="GatewayOptions.MaxRequestBodyBytes"/>. A declared <c>Content-Length</c> over the
/// cap is refused at once with 413 and the OpenAI envelope (gRPC: RESOURCE_EXHAUSTED); a body without one is capped by
/// Kestrel while it is read (the OpenAI endpoints turn that into the same 413). gRPC calls are streams: YARP lifts
/// Kestrel's cap for them, and the router's gRPC receive limit bounds each message.
/// </summary>
public sealed class RequestSizeLimitMiddleware(RequestDelegate next, GatewayOptions options, ILogger<RequestSizeLimitMiddleware> logger)
{
    /// <summary>The longest path and query the gateway accepts, in characters (the common 8 KiB request-line limit).</summary>
    public const int MaxUrlLength = 8 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        var urlLength = context.Request.Path.Value?.Length + context.Request.QueryString.Value?.Length ?? 0;
        if (urlLength > MaxUrlLength)
        {
            return WriteUrlTooLongAsync(context);
        }
        var limit = options.MaxRequestBodyBytes;
        if (context.Request.ContentLength is { } length && length > limit)
        {
            GatewayLog.RequestTooLarge(logger, context.Request.Path, length, limit);
            return WriteTooLargeAsync(context, limit);
        }
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = limit;
        }
        return next(context);
    }

    /// <summary>Refuses a path and query over <see cref="MaxUrlLength"/>: 414 with the OpenAI envelope, or INVALID_ARGUMENT for gRPC.</summary>
    private static Task WriteUrlTooLongAsync(HttpContext context)
    {
        var message = string.Format(CultureInfo.InvariantCulture,
            "The URL is longer than the gateway accepts ({0} characters of path and query). Send long values in a request body.", MaxUrlLength);
        return GrpcErrorResponse.IsGrpc(context.Request)
            ? GrpcErrorResponse.WriteAsync(context.Response, StatusCode.InvalidArgument, message)
            : new OpenAIError(StatusCodes.Status414UriTooLong, message, "invalid_request_error", Code: "url_too_long").WriteAsync(context.Response);
    }

    /// <summary>Refuses a body over <paramref name="limit"/> bytes: 413 with the OpenAI envelope, or RESOURCE_EXHAUSTED for gRPC.</summary>
    public static Task WriteTooLargeAsync(HttpContext context, long limit)
    {
        var message = string.Format(CultureInfo.InvariantCulture,
            "The request body is larger than the gateway accepts ({0} bytes, Gateway:Limits:MaxRequestBodyBytes). Send fewer or smaller images.", limit);
        return GrpcErrorResponse.IsGrpc(context.Request)
            ? GrpcErrorResponse.WriteAsync(context.Response, StatusCode.ResourceExhausted, message)
            : new OpenAIError(StatusCodes.Status413RequestEntityTooLarge, message, "invalid_request_error", Code: "request_too_large").WriteAsync(context.Response);
    }
}
