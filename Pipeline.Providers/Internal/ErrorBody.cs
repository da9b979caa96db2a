using System.Text.Json;

namespace Pipeline.Providers.Internal;

/// <summary>
/// The fields of a provider error, whatever its shape: OpenAI <c>{"error":{message,type,param,code}}</c>, OpenRouter
/// <c>{"error":{"code":429,"message","metadata":{error_type,reasons,…}}}</c>, or flat <c>{message,type,code}</c>.
/// </summary>
internal sealed record ErrorBody
{
    private static readonly HashSet<string> ContentPolicyCodes = new(StringComparer.Ordinal)
    {
        "content_policy_violation", "moderation_blocked", "image_content_policy_violation", "content_filter", "moderation",
    };

    public string? Message { get; init; }

    public string? Type { get; init; }

    public string? Param { get; init; }

    /// <summary>The string code (OpenAI), or OpenRouter's metadata.provider_code when the code is numeric.</summary>
    public string? Code { get; init; }

    /// <summary>OpenRouter's numeric code (= HTTP status).</summary>
    public int? NumericCode { get; init; }

    /// <summary>OpenRouter's metadata.error_type.</summary>
    public string? ErrorType { get; init; }

    /// <summary>OpenRouter moderation: metadata.reasons.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    public bool HasFlaggedInput { get; init; }

    public bool IsContentPolicy =>
        Matches(ContentPolicyCodes, Code) || Matches(ContentPolicyCodes, ErrorType)
        || (Type == "image_generation_user_error" && Code is null);

    public bool IsQuota => Code == "insufficient_quota" || Type == "insufficient_quota";

    public static ErrorBody Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return new ErrorBody();
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            return FromElement(document.RootElement);
        }
        catch (JsonException)
        {
            return new ErrorBody();
        }
    }

    /// <summary>From an envelope (<c>{"error":{…}}</c>), a stream event holding one, or the error object itself.</summary>
    public static ErrorBody FromElement(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return element.ValueKind == JsonValueKind.String ? new ErrorBody { Message = element.GetString() } : new ErrorBody();
        }
        if (element.TryGetProperty("error", out var inner) && inner.ValueKind == JsonValueKind.Object)
        {
            return FromElement(inner);
        }
        if (element.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object
            && response.TryGetProperty("error", out var failed) && failed.ValueKind == JsonValueKind.Object)
        {
            return FromElement(failed);
        }

        var metadata = element.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        var numeric = element.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : (int?)null;
        var code = c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        if (code is null && metadata.ValueKind == JsonValueKind.Object)
        {
            code = String(metadata, "provider_code");
        }
        var reasons = new List<string>();
        if (metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("reasons", out var r) && r.ValueKind == JsonValueKind.Array)
        {
            reasons.AddRange(r.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!));
        }
        return new ErrorBody
        {
            Message = String(element, "message"),
            Type = String(element, "type") is { } type && type != "error" ? type : null,
            Param = String(element, "param"),
            Code = code,
            NumericCode = numeric,
            ErrorType = metadata.ValueKind == JsonValueKind.Object ? String(metadata, "error_type") : null,
            Reasons = reasons,
            HasFlaggedInput = metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("flagged_input", out _),
        };
    }

    private static bool Matches(HashSet<string> set, string? value) => value is not null && set.Contains(value);

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
