using System.Text.Json.Nodes;
using Declarative.Adapter.Json;
using Pipeline.Providers;

namespace Declarative.Adapter.Chunks;

/// <summary>
/// The chunk's declared errors (<c>api_config.errors</c>): <c>map</c> entries {status?, body_contains?, code} checked in order
/// (an entry without status matches any status whose body contains its text), and <c>message_path</c>, where the provider's
/// message is in an error body.
/// </summary>
internal sealed record ErrorTable(IReadOnlyList<ErrorRule> Rules, JsonPath? MessagePath)
{
    /// <summary>The gRPC codes a chunk may name, and the failure each becomes.</summary>
    public static readonly IReadOnlyDictionary<string, ProviderFailureKind> Codes = new Dictionary<string, ProviderFailureKind>(StringComparer.Ordinal)
    {
        ["INVALID_ARGUMENT"] = ProviderFailureKind.InvalidRequest,
        ["UNAUTHENTICATED"] = ProviderFailureKind.Unauthenticated,
        ["PERMISSION_DENIED"] = ProviderFailureKind.PermissionDenied,
        ["RESOURCE_EXHAUSTED"] = ProviderFailureKind.RateLimited,
        ["FAILED_PRECONDITION"] = ProviderFailureKind.ContentPolicy,
        ["NOT_FOUND"] = ProviderFailureKind.NotFound,
        ["DEADLINE_EXCEEDED"] = ProviderFailureKind.Timeout,
        ["UNAVAILABLE"] = ProviderFailureKind.Unavailable,
    };

    public static readonly ErrorTable Empty = new([], null);

    /// <summary>The first rule for <paramref name="status"/> whose body_contains (if any) occurs in <paramref name="body"/>.</summary>
    public ErrorRule? Match(int status, string body) =>
        Rules.FirstOrDefault(r => (r.Status is null || r.Status == status) && (r.BodyContains is null || body.Contains(r.BodyContains, StringComparison.Ordinal)));

    /// <summary>For an async job's error text: the first rule whose body_contains occurs in it, whatever its status.</summary>
    public ErrorRule? MatchText(string text) =>
        Rules.FirstOrDefault(r => r.BodyContains is not null && text.Contains(r.BodyContains, StringComparison.Ordinal));

    public static ErrorTable Read(JsonObject config, ChunkReader reader)
    {
        var errors = reader.Object(config, "errors", "api_config");
        if (errors is null)
        {
            return Empty;
        }
        var messagePath = reader.Path(errors, "message_path", "api_config.errors");
        var rules = new List<ErrorRule>();
        if (errors["map"] is not (null or JsonArray))
        {
            reader.Problem("api_config.errors.map must be an array");
        }
        var i = 0;
        foreach (var node in errors["map"] as JsonArray ?? [])
        {
            var at = $"api_config.errors.map[{i++}]";
            if (node is not JsonObject entry)
            {
                reader.Problem($"{at} must be an object");
                continue;
            }
            var status = reader.Number(entry, "status", at);
            var contains = reader.String(entry, "body_contains", at);
            if (status is not null && (status is not (>= 400 and <= 599) || status != Math.Floor(status.Value)))
            {
                reader.Problem($"{at}.status must be an HTTP error status 400-599");
            }
            if (status is null && string.IsNullOrEmpty(contains))
            {
                reader.Problem($"{at} needs a status, a body_contains, or both");
            }
            var code = reader.String(entry, "code", at, required: true);
            var kind = ProviderFailureKind.Unavailable;
            if (code is not null && !Codes.TryGetValue(code, out kind))
            {
                reader.Problem($"{at}.code '{code}' is unknown; allowed: {string.Join(", ", Codes.Keys)}");
            }
            rules.Add(new ErrorRule((int?)status, string.IsNullOrEmpty(contains) ? null : contains, code ?? "UNAVAILABLE", kind));
        }
        return new ErrorTable(rules, messagePath);
    }
}

/// <summary>One entry of an <see cref="ErrorTable"/>; a null status matches any.</summary>
internal sealed record ErrorRule(int? Status, string? BodyContains, string Code, ProviderFailureKind Kind);
