using System.Text.Json.Nodes;

namespace ProviderEmulator.Hosting;

/// <summary>An HTTP error in provider-neutral form; <see cref="ErrorWriter"/> renders the OpenAI or OpenRouter envelope.</summary>
internal sealed record ApiError(int Status, string Message, string Type = "invalid_request_error", string? Param = null, string? Code = null)
{
    /// <summary>Extra keys inside the OpenAI <c>error</c> object (e.g. <c>moderation_details</c>).</summary>
    public JsonObject? Extra { get; init; }

    /// <summary>OpenRouter <c>error.metadata</c>.</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>Extra response headers (retry-after, x-ratelimit-*).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public static ApiError InvalidValue(string param, string message) => new(400, message, Param: param, Code: "invalid_value");

    public static ApiError UnknownParameter(string param) =>
        new(400, $"Unknown parameter: '{param}'.", Param: param, Code: "unknown_parameter");

    public static ApiError MissingParameter(string param) =>
        new(400, $"Missing required parameter: '{param}'.", Param: param, Code: "missing_required_parameter");

    public static ApiError InvalidType(string param, string expected, string actual) =>
        new(400, $"Invalid type for '{param}': expected {expected}, but got {actual} instead.", Param: param, Code: "invalid_type");
}

/// <summary>Thrown by endpoint code; the emulator middleware turns it into the provider's error reply.</summary>
internal sealed class ApiErrorException(ApiError error) : Exception(error.Message)
{
    public ApiError Error { get; } = error;
}
