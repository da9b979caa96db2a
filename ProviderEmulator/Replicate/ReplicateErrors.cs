using System.Globalization;
using System.Text.Json.Nodes;
using ProviderEmulator.Hosting;

namespace ProviderEmulator.Replicate;

/// <summary>
/// Replicate's error replies (problem details): <c>{"title": "…", "detail": "…", "status": 422}</c>, plus
/// <c>invalid_fields</c> for input validation. <see cref="ApiError.Code"/> is the title, <see cref="ApiError.Message"/> the detail.
/// </summary>
internal static class ReplicateErrors
{
    public static JsonObject Envelope(ApiError error)
    {
        var body = new JsonObject { ["title"] = error.Code ?? TitleOf(error.Status), ["detail"] = error.Message, ["status"] = error.Status };
        foreach (var (key, value) in error.Extra ?? [])
        {
            body[key] = value?.DeepClone();
        }
        return body;
    }

    /// <summary>422 for an input that fails the model's schema, naming the field the way Replicate does.</summary>
    public static ApiError InvalidInput(string field, string type, string description) =>
        new(422, $"- input.{field}: {description}\n", Code: "Input validation failed")
        {
            Extra = new JsonObject
            {
                ["invalid_fields"] = new JsonArray(new JsonObject { ["type"] = type, ["field"] = $"input.{field}", ["description"] = description }),
            },
        };

    public static ApiError NotFound() => new(404, "The requested resource could not be found.", Code: "Not found");

    public static ApiError RateLimit(int retryAfterSeconds) => new(429,
        $"Request was throttled. Expected available in {retryAfterSeconds} second{(retryAfterSeconds == 1 ? "" : "s")}.", Code: "Request was throttled.")
    {
        Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture) },
    };

    public static ApiError Status(int status) => status switch
    {
        401 => new ApiError(401, "You did not pass a valid authentication token", Code: "Unauthenticated"),
        402 => new ApiError(402, "You have insufficient credit to run this model. Go to https://replicate.com/account/billing#billing to purchase credit. Once you purchase credit, please wait a few minutes before trying again.", Code: "Insufficient credit"),
        404 => NotFound(),
        _ => new ApiError(status, status >= 500 ? "Internal server error" : $"Emulated error {status}.", Code: TitleOf(status)),
    };

    private static string TitleOf(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthenticated",
        403 => "Forbidden",
        404 => "Not found",
        422 => "Input validation failed",
        429 => "Request was throttled.",
        >= 500 => "Internal server error",
        _ => "Error",
    };
}
