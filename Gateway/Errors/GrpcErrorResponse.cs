using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Pipeline.ServiceDefaults.Grpc;

namespace Gateway.Errors;

/// <summary>
/// Answers a gRPC call the gateway refuses itself (no key, rate limit, size) as a Trailers-Only response:
/// HTTP 200, <c>content-type: application/grpc</c>, <c>grpc-status</c> and <c>grpc-message</c> in the only HEADERS frame.
/// </summary>
public static class GrpcErrorResponse
{
    /// <summary>True for a gRPC request (<c>content-type: application/grpc</c>, <c>+proto</c> and the like).</summary>
    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes the status; <paramref name="retryAfter"/> adds google.rpc.RetryInfo in <c>grpc-status-details-bin</c>.</summary>
    public static Task WriteAsync(HttpResponse response, StatusCode code, string message, TimeSpan? retryAfter = null)
    {
        if (response.HasStarted)
        {
            return Task.CompletedTask;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)code).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = PercentEncode(message);
        if (retryAfter is { } delay)
        {
            var status = RichStatus.Create(code, message, new Google.Rpc.RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) });
            response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray()).TrimEnd('=');
        }
        return response.CompleteAsync();
    }

    /// <summary>gRPC's <c>grpc-message</c> encoding: UTF-8 bytes outside 0x20-0x7E, and '%', as %XX.</summary>
    private static string PercentEncode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is < 0x20 or > 0x7E or (byte)'%')
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append((char)b);
            }
        }
        return builder.ToString();
    }
}
