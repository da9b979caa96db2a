using Gateway.Errors;

namespace Gateway.OpenAI;

/// <summary>A request the OpenAI-compatible API refuses itself, with the error to answer.</summary>
public sealed class OpenAIException(OpenAIError error) : Exception(error.Message)
{
    public OpenAIError Error { get; } = error;

    /// <summary>400 <c>invalid_request_error</c> on <paramref name="param"/>.</summary>
    public static OpenAIException Invalid(string message, string? param, string? code = "invalid_value") =>
        new(OpenAIError.InvalidRequest(message, param, code));

    /// <summary>404 <c>model_not_found</c>.</summary>
    public static OpenAIException ModelNotFound(string model) =>
        new(new OpenAIError(StatusCodes.Status404NotFound,
            $"The model '{model}' does not exist. Use a config name from GET /v1/models or a provider model such as gpt-image-1.",
            "invalid_request_error", "model", "model_not_found"));
}
