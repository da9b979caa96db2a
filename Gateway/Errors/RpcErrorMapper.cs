using Google.Rpc;
using Grpc.Core;
using Pipeline.ServiceDefaults.Grpc;

namespace Gateway.Errors;

/// <summary>
/// The one place router statuses become OpenAI errors: HTTP status, envelope type and code, the violated parameter
/// (from google.rpc.BadRequest) and retry-after (from google.rpc.RetryInfo).
/// </summary>
public static class RpcErrorMapper
{
    public static OpenAIError ToOpenAIError(RpcException exception)
    {
        var status = exception.ToRichStatus();
        var code = exception.StatusCode;
        var message = string.IsNullOrWhiteSpace(status.Message) ? $"The router answered {code}." : status.Message;
        var param = Param(status.GetDetail<BadRequest>());
        var reason = status.GetDetail<ErrorInfo>()?.Reason is { Length: > 0 } r ? r.ToLowerInvariant() : null;
        return code switch
        {
            StatusCode.InvalidArgument or StatusCode.OutOfRange => new OpenAIError(400, message, "invalid_request_error", param, reason ?? "invalid_value"),
            StatusCode.NotFound => new OpenAIError(404, message, "invalid_request_error", param ?? "model", reason ?? "model_not_found"),
            StatusCode.FailedPrecondition => new OpenAIError(400, message, "image_generation_user_error", param, reason ?? "moderation_blocked"),
            StatusCode.ResourceExhausted => new OpenAIError(429, message, "requests", param, reason ?? "rate_limit_exceeded")
            {
                RetryAfterSeconds = RetryAfter(status.GetDetail<RetryInfo>()),
            },
            StatusCode.Unauthenticated => new OpenAIError(401, message, "invalid_request_error", null, reason ?? "invalid_api_key"),
            StatusCode.PermissionDenied => new OpenAIError(403, message, "invalid_request_error", param, reason),
            StatusCode.AlreadyExists or StatusCode.Aborted => new OpenAIError(409, message, "invalid_request_error", param, reason ?? "conflict"),
            StatusCode.Unavailable => new OpenAIError(503, message, "service_unavailable_error", null, reason ?? "service_unavailable"),
            StatusCode.DeadlineExceeded => new OpenAIError(504, message, "server_error", null, reason ?? "timeout"),
            StatusCode.Cancelled => new OpenAIError(499, message, "server_error", null, "cancelled"),
            StatusCode.Unimplemented => new OpenAIError(501, message, "server_error", null, reason ?? "not_implemented"),
            _ => new OpenAIError(500, message, "server_error", null, reason),
        };
    }

    /// <summary>The first violated field, in the OpenAI request's terms (<c>parameters.size</c> is <c>size</c>, <c>config</c> is <c>model</c>).</summary>
    private static string? Param(BadRequest? badRequest)
    {
        if (badRequest is null || badRequest.FieldViolations.Count == 0)
        {
            return null;
        }
        var field = badRequest.FieldViolations[0].Field;
        if (field.StartsWith("parameters.", StringComparison.Ordinal))
        {
            field = field["parameters.".Length..];
        }
        if (field.StartsWith("extra.", StringComparison.Ordinal))
        {
            field = field["extra.".Length..];
        }
        return field switch
        {
            "config" or "mode" => "model",
            _ when field.StartsWith("input_images", StringComparison.Ordinal) => "image",
            _ => field,
        };
    }

    private static int? RetryAfter(RetryInfo? info) =>
        info?.RetryDelay is { } delay ? Math.Max(1, (int)Math.Ceiling(delay.ToTimeSpan().TotalSeconds)) : null;
}
