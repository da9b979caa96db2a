using System.Text.Json;
using System.Text.Json.Nodes;
using Declarative.Adapter.Chunks;
using Declarative.Adapter.Json;
using Declarative.Adapter.Templates;
using Pipeline.Providers;

namespace Declarative.Adapter.Http;

/// <summary>
/// Provider errors through the chunk's declared table: a non-2xx reply takes the code of the first matching
/// <c>errors.map</c> entry (UNAVAILABLE when none matches) and the message at <c>errors.message_path</c> (else the body,
/// at most 500 characters), with every secret of the call scrubbed.
/// </summary>
internal static class ErrorTranslator
{
    private const int MaxBodyChars = 64 * 1024;
    private const int MaxMessageChars = 500;

    public static async Task<ProviderException> FromResponseAsync(HttpResponseMessage response, PreparedCall call, CancellationToken ct)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            body = "";
        }
        if (body.Length > MaxBodyChars)
        {
            body = body[..MaxBodyChars];
        }
        var status = (int)response.StatusCode;
        var rule = call.Chunk.Errors.Match(status, body);
        var message = call.Scrub(Message(call.Chunk.Errors, body, status));
        return new ProviderException(rule?.Kind ?? ProviderFailureKind.Unavailable, $"{call.Chunk.Provider} answered HTTP {status}: {message}",
            ProviderErrors.ReadRetryAfter(response.Headers), rule?.Code, ProviderErrors.ReadRequestId(response.Headers), status);
    }

    /// <summary>An async job that ended failed: UNAVAILABLE with its error text, or the table's code when a body_contains matches.</summary>
    public static ProviderException FromJobFailure(PreparedCall call, string status, string? error, string? requestId)
    {
        var text = string.IsNullOrWhiteSpace(error) ? "no error text" : Truncate(error.Trim());
        var rule = error is null ? null : call.Chunk.Errors.MatchText(error);
        return new ProviderException(rule?.Kind ?? ProviderFailureKind.Unavailable,
            $"{call.Chunk.Provider} job ended '{status}': {call.Scrub(text)}", providerCode: rule?.Code, providerRequestId: requestId);
    }

    /// <summary>An error event in a stream, classified the same way.</summary>
    public static ProviderException FromStreamError(PreparedCall call, string? message)
    {
        var text = string.IsNullOrWhiteSpace(message) ? "no message" : Truncate(message.Trim());
        var rule = message is null ? null : call.Chunk.Errors.MatchText(message);
        return new ProviderException(rule?.Kind ?? ProviderFailureKind.Unavailable,
            $"{call.Chunk.Provider} reported an error mid-stream: {call.Scrub(text)}", providerCode: rule?.Code);
    }

    private static string Message(ErrorTable table, string body, int status)
    {
        if (table.MessagePath is { } path && TryParse(body) is { } json && path.Select(json) is [var (_, value), ..])
        {
            var text = value is JsonArray array ? string.Join("; ", array.Where(a => a is not null).Select(a => JsonPath.AsText(a!) ?? a!.ToJsonString()))
                : JsonPath.AsText(value) ?? value.ToJsonString();
            if (!string.IsNullOrWhiteSpace(text))
            {
                return Truncate(text);
            }
        }
        return string.IsNullOrWhiteSpace(body) ? $"status {status} (empty body)" : Truncate(body.Trim());
    }

    private static JsonNode? TryParse(string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Truncate(string text) => text.Length <= MaxMessageChars ? text : text[..MaxMessageChars] + "…";
}
