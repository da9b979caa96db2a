using System.Net;

namespace Pipeline.Grpc.Internal;

/// <summary>What a client reports when no grpc-status arrived: HTTP status (gRPC spec http-grpc-status-mapping) and HTTP/2 reset codes.</summary>
internal static class HttpStatusMapping
{
    public static StatusCode FromHttpStatus(HttpStatusCode status) => (int)status switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        431 => StatusCode.Internal,
        _ => StatusCode.Unknown,
    };

    /// <summary>HTTP/2 RST_STREAM / GOAWAY error code → status (REFUSED_STREAM 7, CANCEL 8, ENHANCE_YOUR_CALM 0xb, INADEQUATE_SECURITY 0xc).</summary>
    public static StatusCode FromHttp2ErrorCode(long code) => code switch
    {
        0x7 => StatusCode.Unavailable,
        0x8 => StatusCode.Cancelled,
        0xb => StatusCode.ResourceExhausted,
        0xc => StatusCode.PermissionDenied,
        _ => StatusCode.Internal,
    };
}
