using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.Reliability.Fuzz;

/// <summary>
/// Judges one reply: no 5xx or gRPC INTERNAL/UNKNOWN for a client fault (a provider fault may be a 5xx, in its envelope),
/// every error in its edge's envelope (OpenAI's on <c>/v1/*</c>, ProblemDetails elsewhere, a precise gRPC status), no
/// stack trace and no echoed secret in any body, and a successful image reply that holds images.
/// </summary>
public static partial class FuzzOracle
{
    public static Verdict Judge(FuzzRequest request, FuzzOutcome outcome, IReadOnlyList<string> secrets)
    {
        if (outcome.TransportError is { } error)
        {
            return new Verdict(VerdictKind.NoAnswer, error);
        }

        var text = Encoding.UTF8.GetString(outcome.Body);
        if (StackTrace().Match(text) is { Success: true } trace)
        {
            return new Verdict(VerdictKind.Leak, $"stack trace in the body: …{Excerpt(text, trace.Index)}…");
        }
        if (secrets.FirstOrDefault(s => s.Length > 0 && text.Contains(s, StringComparison.Ordinal)) is { } secret)
        {
            return new Verdict(VerdictKind.Leak, $"the body echoes a header value ({secret[..Math.Min(6, secret.Length)]}…)");
        }

        return request.Grpc ? JudgeGrpc(outcome) : JudgeHttp(request, outcome, text);
    }

    private static Verdict JudgeGrpc(FuzzOutcome outcome)
    {
        if (outcome.Status != 200 || outcome.GrpcStatus is not { } code)
        {
            return new Verdict(VerdictKind.WrongEnvelope, $"gRPC call answered HTTP {outcome.Status} without grpc-status ({outcome.ContentType})");
        }
        if (code is 2 or 13)
        {
            return new Verdict(VerdictKind.ServerErrorForClientFault, $"grpc-status {(code == 2 ? "UNKNOWN" : "INTERNAL")}: {outcome.GrpcMessage}");
        }
        return code == 8 && outcome.RetryAfter is not null ? new Verdict(VerdictKind.RateLimited) : Verdict.Ok;
    }

    private static Verdict JudgeHttp(FuzzRequest request, FuzzOutcome outcome, string text)
    {
        var status = outcome.Status;
        if (status == 400 && outcome.Body.Length == 0 && NulInPath(request.Path))
        {
            return new Verdict(VerdictKind.RefusedByHttpServer);
        }
        if (status == 429)
        {
            var envelope = EnvelopeProblem(request.Envelope, outcome, text);
            return envelope is null ? new Verdict(VerdictKind.RateLimited) : new Verdict(VerdictKind.WrongEnvelope, $"429 {envelope}");
        }
        if (status >= 500 && !request.ProviderFault)
        {
            return new Verdict(VerdictKind.ServerErrorForClientFault, $"HTTP {status}: {Excerpt(text, 0)}");
        }
        if (status >= 400)
        {
            return EnvelopeProblem(request.Envelope, outcome, text) is { } problem
                ? new Verdict(VerdictKind.WrongEnvelope, $"HTTP {status} {problem}")
                : Verdict.Ok;
        }
        if (status is >= 200 and < 300)
        {
            return SuccessProblem(request, outcome, text) is { } problem ? new Verdict(VerdictKind.WrongEnvelope, problem) : Verdict.Ok;
        }
        return new Verdict(VerdictKind.WrongEnvelope, $"unexpected HTTP {status}");
    }

    /// <summary>A NUL (<c>%00</c>) in the path, which Kestrel refuses with an empty 400 before any middleware runs.</summary>
    private static bool NulInPath(string target)
    {
        var path = target.Split('?', 2)[0];
        return path.Contains("%00", StringComparison.Ordinal) || path.Contains('\0', StringComparison.Ordinal);
    }

    /// <summary>
    /// Why the error body is not in <paramref name="envelope"/>; null when it is. The gateway's own refusals (401, 413,
    /// 414, 429) use the OpenAI envelope on every route, as README "Gateway" documents.
    /// </summary>
    public static string? EnvelopeProblem(Envelope envelope, FuzzOutcome outcome, string text)
    {
        if (envelope == Envelope.Problem && outcome.Status is 401 or 413 or 414 or 429 && EnvelopeProblem(Envelope.OpenAI, outcome, text) is null)
        {
            return null;
        }

        JsonElement root;
        try
        {
            root = JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
            return $"body is not JSON ({outcome.ContentType}): {Excerpt(text, 0)}";
        }

        if (envelope == Envelope.OpenAI)
        {
            var ok = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String && message.GetString()!.Length > 0
                && error.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                && error.TryGetProperty("param", out var _param) && error.TryGetProperty("code", out var _code);
            return ok && outcome.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true ? null : $"not the OpenAI envelope ({outcome.ContentType}): {Excerpt(text, 0)}";
        }

        var problem = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String
            && root.TryGetProperty("status", out var status) && status.TryGetInt32(out var code) && code == outcome.Status
            && outcome.ContentType?.StartsWith("application/problem+json", StringComparison.OrdinalIgnoreCase) == true;
        return problem ? null : $"not ProblemDetails ({outcome.ContentType}): {Excerpt(text, 0)}";
    }

    /// <summary>A 2xx on an image route must hold images (JSON data[] with image bytes) or, streamed, end without a malformed error event.</summary>
    private static string? SuccessProblem(FuzzRequest request, FuzzOutcome outcome, string text)
    {
        if (request.Path != "/v1/images/generations" && request.Path != "/v1/images/edits")
        {
            return null;
        }
        if (outcome.ContentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true)
        {
            foreach (Match match in ErrorEvent().Matches(text))
            {
                if (EnvelopeProblem(Envelope.OpenAI, outcome with { ContentType = "application/json" }, match.Groups[1].Value) is { } problem)
                {
                    return $"stream error event {problem}";
                }
            }
            return null;
        }
        try
        {
            var data = JsonDocument.Parse(text).RootElement.GetProperty("data");
            foreach (var item in data.EnumerateArray())
            {
                if (item.TryGetProperty("b64_json", out var b64) && b64.GetString() is { } base64 && !IsImage(Convert.FromBase64String(base64)))
                {
                    return "200 with a b64_json that is not an image";
                }
            }
            return data.GetArrayLength() > 0 ? null : "200 with no images";
        }
        catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return $"200 whose body is not an image reply ({ex.GetType().Name}): {Excerpt(text, 0)}";
        }
    }

    private static bool IsImage(byte[] bytes) =>
        bytes.AsSpan().StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47 }) || bytes.AsSpan().StartsWith(new byte[] { 0xFF, 0xD8, 0xFF })
        || (bytes.Length > 12 && bytes.AsSpan(8, 4).SequenceEqual("WEBP"u8));

    private static string Excerpt(string text, int at)
    {
        var start = Math.Max(0, at - 60);
        var excerpt = text.Substring(start, Math.Min(240, text.Length - start));
        return new string([.. excerpt.Select(c => char.IsControl(c) ? ' ' : c)]);
    }

    [GeneratedRegex(@"(\bat [A-Za-z_][\w.`]+\.[\w<>`|]+\([^)]*\)|\.cs:line \d+|\b(System|Microsoft|Grpc|Google)\.[\w.]*Exception\b)")]
    private static partial Regex StackTrace();

    [GeneratedRegex(@"event: ?error\r?\ndata: ?([^\r\n]*)")]
    private static partial Regex ErrorEvent();
}
