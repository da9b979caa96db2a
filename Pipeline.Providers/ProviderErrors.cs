using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Pipeline.Providers.Internal;

namespace Pipeline.Providers;

/// <summary>
/// Reads provider error replies — OpenAI's nested envelope, OpenRouter's envelope, flat JSON, HTML — into
/// <see cref="ProviderException"/>s with the right <see cref="ProviderFailureKind"/>.
/// </summary>
public static class ProviderErrors
{
    private const int MaxBodyChars = 64 * 1024;

    /// <summary>Reads a non-success response into a ProviderException (body, retry-after, x-request-id / X-Generation-Id).</summary>
    public static async Task<ProviderException> FromResponseAsync(HttpResponseMessage response, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(response);
        string? body;
        try
        {
            body = await response.Content.ReadAsStringAsync(ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            body = null;
        }
        if (body is { Length: > MaxBodyChars })
        {
            body = body[..MaxBodyChars];
        }
        return FromHttp((int)response.StatusCode, body, ReadRetryAfter(response.Headers), ReadRequestId(response.Headers));
    }

    /// <summary>Same from parts (the OpenAI SDK's ClientResultException gives status and raw response).</summary>
    public static ProviderException FromHttp(int status, string? body, TimeSpan? retryAfter, string? requestId)
    {
        var error = ErrorBody.Parse(body);
        var message = error.Message ?? DescribeBody(status, body);
        var kind = Classify(status, error);
        var code = kind switch
        {
            ProviderFailureKind.ContentPolicy => error.Code ?? error.ErrorType ?? "content_policy",
            ProviderFailureKind.QuotaExceeded => error.Code ?? "insufficient_quota",
            _ => error.Code ?? error.ErrorType,
        };
        var text = error.Param is null ? message : $"{message} (param '{error.Param}')";
        if (kind == ProviderFailureKind.ContentPolicy && error.Reasons.Count > 0 && !text.Contains(error.Reasons[0], StringComparison.Ordinal))
        {
            text = $"{text} (reasons: {string.Join(", ", error.Reasons)})";
        }
        return new ProviderException(kind, $"The provider answered HTTP {status}: {text}", retryAfter, code, requestId, status)
        {
            Param = error.Param,
        };
    }

    /// <summary>retry-after-ms, then retry-after (seconds or an HTTP date); null when absent or unreadable.</summary>
    public static TimeSpan? ReadRetryAfter(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.TryGetValues("retry-after-ms", out var msValues)
            && double.TryParse(msValues.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
        {
            return TimeSpan.FromMilliseconds(ms);
        }
        if (!headers.TryGetValues("retry-after", out var values) || values.FirstOrDefault() is not { } value)
        {
            return null;
        }
        value = value.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
        }
        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var date)
            || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out date))
        {
            var delay = date - DateTimeOffset.UtcNow;
            return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
        }
        return null;
    }

    /// <summary>An error inside a stream (OpenAI "error" / "response.failed" events, OpenRouter chunk {"error":{...}}).</summary>
    public static ProviderException FromStreamError(JsonElement error, string? requestId)
    {
        var parsed = ErrorBody.FromElement(error);
        var status = parsed.NumericCode ?? StatusFromCode(parsed.Code ?? parsed.Type);
        var kind = status is { } s ? Classify(s, parsed) : ClassifyCode(parsed);
        var code = parsed.Code ?? parsed.ErrorType ?? parsed.Type;
        var message = parsed.Message ?? "no message";
        return new ProviderException(kind, $"The provider reported an error mid-stream: {message}", null, code, requestId, status)
        {
            Param = parsed.Param,
        };
    }

    /// <summary>The provider's request id: x-request-id (OpenAI) or X-Generation-Id (OpenRouter).</summary>
    public static string? ReadRequestId(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var name in (string[])["x-request-id", "X-Generation-Id"])
        {
            if (headers.TryGetValues(name, out var values) && values.FirstOrDefault() is { Length: > 0 } id)
            {
                return id;
            }
        }
        return null;
    }

    private static ProviderFailureKind Classify(int status, ErrorBody error)
    {
        if (error.IsContentPolicy || (status == 403 && error.Reasons.Count > 0) || (status == 403 && error.HasFlaggedInput))
        {
            return ProviderFailureKind.ContentPolicy;
        }
        if (error.IsQuota || status == 402)
        {
            return ProviderFailureKind.QuotaExceeded;
        }
        return status switch
        {
            401 => ProviderFailureKind.Unauthenticated,
            403 => ProviderFailureKind.PermissionDenied,
            404 => ProviderFailureKind.NotFound,
            408 or 504 or 524 => ProviderFailureKind.Timeout,
            429 => ProviderFailureKind.RateLimited,
            >= 500 => ProviderFailureKind.Unavailable,
            _ => ProviderFailureKind.InvalidRequest,
        };
    }

    private static ProviderFailureKind ClassifyCode(ErrorBody error)
    {
        if (error.IsContentPolicy)
        {
            return ProviderFailureKind.ContentPolicy;
        }
        if (error.IsQuota)
        {
            return ProviderFailureKind.QuotaExceeded;
        }
        var code = error.Code ?? error.Type ?? "";
        return code switch
        {
            "rate_limit_exceeded" or "too_many_requests" or "requests" or "tokens" => ProviderFailureKind.RateLimited,
            "invalid_api_key" => ProviderFailureKind.Unauthenticated,
            "invalid_prompt" or "invalid_request_error" or "invalid_value" or "image_too_large" or "image_too_small"
                or "image_parse_error" or "invalid_image" or "invalid_image_format" or "failed_to_download_image" => ProviderFailureKind.InvalidRequest,
            "timeout" => ProviderFailureKind.Timeout,
            _ => ProviderFailureKind.Unavailable,
        };
    }

    private static int? StatusFromCode(string? code) => code switch
    {
        "rate_limit_exceeded" or "too_many_requests" => 429,
        _ => null,
    };

    private static string DescribeBody(int status, string? body)
    {
        var reason = HttpStatusText(status);
        if (string.IsNullOrWhiteSpace(body))
        {
            return $"{reason} (empty body)";
        }
        var trimmed = body.TrimStart();
        if (trimmed.StartsWith('<'))
        {
            var title = HtmlTitle(trimmed);
            return title is null ? $"{reason} (an HTML page, {body.Length} characters)" : $"{reason} (an HTML page titled '{title}')";
        }
        return $"{reason}: {Excerpt(trimmed)}";
    }

    private static string HttpStatusText(int status) =>
        Enum.IsDefined(typeof(System.Net.HttpStatusCode), status) ? ((System.Net.HttpStatusCode)status).ToString() : $"status {status}";

    private static string? HtmlTitle(string html)
    {
        var start = html.IndexOf("<title>", StringComparison.OrdinalIgnoreCase);
        if (start < 0)
        {
            return null;
        }
        start += "<title>".Length;
        var end = html.IndexOf("</title>", start, StringComparison.OrdinalIgnoreCase);
        return end < 0 ? null : Excerpt(html[start..end].Trim());
    }

    /// <summary>At most 200 characters, whitespace collapsed, and never a long base64-looking run.</summary>
    private static string Excerpt(string text)
    {
        var collapsed = string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
        var excerpt = collapsed.Length <= 200 ? collapsed : collapsed[..200] + "…";
        return Base64Runs.Redact(excerpt);
    }
}
