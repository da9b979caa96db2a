using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Pipeline.Grpc.Internal;

/// <summary>Request checks and response status writing shared by every server call.</summary>
internal static class ServerProtocol
{
    /// <summary>False (with the response written) when the request is not HTTP/2 or not application/grpc.</summary>
    public static bool ValidateRequest(HttpContext httpContext)
    {
        var request = httpContext.Request;
        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            httpContext.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            httpContext.Response.Headers.Upgrade = "HTTP/2";
            httpContext.Response.Headers.Connection = "Upgrade";
            WriteStatus(httpContext, new Status(StatusCode.Internal, $"Request protocol '{request.Protocol}' is not supported; gRPC needs HTTP/2."), null, null);
            return false;
        }
        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            httpContext.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            WriteStatus(httpContext, new Status(StatusCode.Internal, $"Content-Type '{request.ContentType}' is not supported."), null, null);
            return false;
        }
        return true;
    }

    /// <summary>Long calls and large messages must not trip Kestrel's request limits (as grpc-dotnet does).</summary>
    public static void DisableHttpLimits(HttpContext httpContext)
    {
        if (httpContext.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }
        if (httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }
        httpContext.Features.Get<Microsoft.AspNetCore.Http.Timeouts.IHttpRequestTimeoutFeature>()?.DisableTimeout();
    }

    /// <summary>
    /// Writes the status and trailers: into the trailers when the response has started, otherwise into the headers,
    /// which Kestrel sends as one HEADERS frame with END_STREAM (Trailers-Only).
    /// </summary>
    public static void WriteStatus(HttpContext httpContext, Status status, Metadata? trailers, Metadata? extraTrailers)
    {
        var response = httpContext.Response;
        IHeaderDictionary target;
        if (!response.HasStarted)
        {
            target = response.Headers;
            response.ContentType ??= GrpcProtocol.ContentType;
        }
        else if (httpContext.Features.Get<IHttpResponseTrailersFeature>() is { } feature)
        {
            target = feature.Trailers;
        }
        else
        {
            return;
        }
        foreach (var (name, value) in StatusCodec.Encode(status))
        {
            target[name] = value;
        }
        if (trailers is not null)
        {
            MetadataCodec.WriteHeaders(trailers, target);
        }
        if (extraTrailers is not null)
        {
            MetadataCodec.WriteHeaders(extraTrailers, target);
        }
    }

    /// <summary>Sends RST_STREAM(CANCEL), as a server does after the deadline's status.</summary>
    public static void ResetStream(HttpContext httpContext)
    {
        try
        {
            httpContext.Features.Get<IHttpResetFeature>()?.Reset(8);
        }
        catch (InvalidOperationException)
        {
            // The stream already ended.
        }
    }
}
