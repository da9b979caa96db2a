using System.Globalization;
using System.Text.Json.Nodes;
using ProviderEmulator.Hosting;

namespace ProviderEmulator.Stability;

/// <summary>Stability's error replies: <c>{"id": "…", "name": "bad_request", "errors": ["prompt: …"]}</c>.</summary>
internal static class StabilityErrors
{
    /// <summary>The envelope; <see cref="ApiError.Code"/> is the <c>name</c>, <see cref="ApiError.Message"/> the one entry of <c>errors</c>.</summary>
    public static JsonObject Envelope(ApiError error, string requestId) => new()
    {
        ["id"] = requestId.Replace("req_", "", StringComparison.Ordinal),
        ["name"] = error.Code ?? NameOf(error.Status),
        ["errors"] = new JsonArray(error.Message),
    };

    public static ApiError BadRequest(string message) => new(400, message, Code: "bad_request");

    public static ApiError ContentModeration() => new(403,
        "Your request was flagged by our content moderation system, as a result your request was denied and you were not charged.",
        Code: "content_moderation");

    public static ApiError RateLimit(int retryAfterSeconds) => new(429,
        "You have exceeded the rate limit of 150 requests within a 10 second period, and have been timed out for 60 seconds.",
        Code: "rate_limit_exceeded")
    {
        Headers = new Dictionary<string, string> { ["retry-after"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture) },
    };

    public static ApiError Status(int status) => status switch
    {
        401 => new ApiError(401, "authorization: invalid or missing header value", Code: "unauthorized"),
        402 => new ApiError(402, "You lack sufficient credits to make this request. Please purchase more credits at https://platform.stability.ai/account/credits and try again.", Code: "payment_required"),
        403 => ContentModeration(),
        404 => new ApiError(404, "The requested resource was not found.", Code: "not_found"),
        413 => new ApiError(413, "Your request was larger than 10MiB.", Code: "payload_too_large"),
        _ => new ApiError(status, status >= 500 ? "An unexpected server error has occurred, please try again later." : $"Emulated error {status}.", Code: NameOf(status)),
    };

    private static string NameOf(int status) => status switch
    {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        429 => "rate_limit_exceeded",
        >= 500 => "internal_error",
        _ => "error",
    };
}
