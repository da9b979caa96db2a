using System.Globalization;
using System.Text.Json;

namespace Gateway.Errors;

/// <summary>
/// An error in OpenAI's envelope, <c>{"error":{"message","type","param","code"}}</c> (all four keys, <c>param</c> and
/// <c>code</c> nullable), with the HTTP status it travels with and an optional retry-after in seconds.
/// </summary>
public sealed record OpenAIError(int HttpStatus, string Message, string Type, string? Param = null, string? Code = null)
{
    /// <summary>Seconds to send as <c>retry-after</c>; null for none.</summary>
    public int? RetryAfterSeconds { get; init; }

    public static OpenAIError InvalidRequest(string message, string? param = null, string? code = "invalid_value") =>
        new(StatusCodes.Status400BadRequest, message, "invalid_request_error", param, code);

    /// <summary>Writes the envelope's <c>"error"</c> object as a property of the current JSON object.</summary>
    public void WriteErrorProperty(Utf8JsonWriter json)
    {
        json.WriteStartObject("error");
        json.WriteString("message", Message);
        json.WriteString("type", Type);
        WriteNullable(json, "param", Param);
        WriteNullable(json, "code", Code);
        json.WriteEndObject();
    }

    /// <summary>Writes the status, <c>retry-after</c> and the envelope as the response; nothing when it has started.</summary>
    public async Task WriteAsync(HttpResponse response)
    {
        if (response.HasStarted)
        {
            return;
        }
        response.StatusCode = HttpStatus;
        if (RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
        response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(response.Body, GatewayJson.WriterOptions);
        json.WriteStartObject();
        WriteErrorProperty(json);
        json.WriteEndObject();
        await json.FlushAsync(response.HttpContext.RequestAborted);
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
