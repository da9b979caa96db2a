using System.Globalization;

namespace ProviderEmulator.Faults;

/// <summary>
/// Parses the fault syntax: <c>name[=value]</c> items separated by <c>;</c> or <c>,</c>, e.g.
/// <c>latency=200ms;partial-delay=100ms;rate-limit=5</c>. Durations take ms or s; sizes take B, KB, MB.
/// </summary>
internal static class FaultParser
{
    public const string HeaderName = "x-emulator-fault";

    public static readonly string[] Names =
    [
        "latency", "partial-delay", "rate-limit", "insufficient-quota", "status", "content-policy", "mid-stream-error",
        "response-failed", "error-shape", "cut-stream", "malformed-json", "trickle", "oversized-image", "mutate",
    ];

    /// <summary>Applies <paramref name="text"/> on top of <paramref name="plan"/>; returns an error message or null.</summary>
    public static string? TryApply(string? text, FaultPlan plan, out FaultPlan result)
    {
        result = plan;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        foreach (var raw in text.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = raw.IndexOf('=', StringComparison.Ordinal);
            var name = (equals < 0 ? raw : raw[..equals]).Trim().ToLowerInvariant();
            var value = equals < 0 ? null : raw[(equals + 1)..].Trim();
            var error = ApplyOne(name, value, ref result);
            if (error is not null)
            {
                return $"{HeaderName}: {error}";
            }
        }

        return null;
    }

    private static string? ApplyOne(string name, string? value, ref FaultPlan plan)
    {
        switch (name)
        {
            case "latency":
                return Duration(value, name, out var latency) ?? Set(ref plan, plan with { Latency = latency });
            case "partial-delay":
                return Duration(value, name, out var delay) ?? Set(ref plan, plan with { PartialDelay = delay });
            case "rate-limit":
                {
                    var seconds = 1;
                    if (value is not null && !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out seconds))
                    {
                        return $"'rate-limit={value}': the value is the retry-after in whole seconds, e.g. rate-limit=2";
                    }

                    return Set(ref plan, plan with { RateLimitRetryAfter = seconds });
                }

            case "insufficient-quota":
                return Set(ref plan, plan with { InsufficientQuota = true });
            case "status":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status < 400 || status > 599)
                {
                    return $"'status={value}': give an HTTP error status 400-599, e.g. status=503";
                }

                return Set(ref plan, plan with { Status = status });
            case "content-policy":
                return Set(ref plan, plan with { ContentPolicy = true });
            case "mid-stream-error":
                return Set(ref plan, plan with { MidStreamError = true });
            case "response-failed":
                return Set(ref plan, plan with { ResponseFailed = true });
            case "error-shape":
                return value switch
                {
                    "nested" => Set(ref plan, plan with { NestedErrorEvent = true }),
                    "flat" => Set(ref plan, plan with { NestedErrorEvent = false }),
                    _ => $"'error-shape={value}': allowed values are flat, nested",
                };
            case "cut-stream":
                return Set(ref plan, plan with { CutStream = true });
            case "malformed-json":
                return Set(ref plan, plan with { MalformedJson = true });
            case "trickle":
                return Trickle(value, ref plan);
            case "oversized-image":
                {
                    var bytes = 20L * 1024 * 1024;
                    if (value is not null && !TryParseSize(value, out bytes))
                    {
                        return $"'oversized-image={value}': give a size such as 512KB or 20MB";
                    }

                    return Set(ref plan, plan with { OversizedImageBytes = bytes });
                }

            case "mutate":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var mutateSeed))
                {
                    return $"'mutate={value}': give the seed as a whole number, e.g. mutate=42";
                }

                return Set(ref plan, plan with { MutateSeed = mutateSeed });
            default:
                return $"unknown fault '{name}'; known faults: {string.Join(", ", Names)}";
        }
    }

    private static string? Trickle(string? value, ref FaultPlan plan)
    {
        var bytes = 1024L;
        var interval = TimeSpan.FromMilliseconds(10);
        if (value is not null)
        {
            var at = value.IndexOf('@', StringComparison.Ordinal);
            if (at < 0 || !TryParseSize(value[..at], out bytes) || bytes <= 0 || Duration(value[(at + 1)..], "trickle", out interval) is not null)
            {
                return $"'trickle={value}': use trickle=<bytes>@<interval>, e.g. trickle=4KB@10ms";
            }
        }

        return Set(ref plan, plan with { TrickleBytes = (int)Math.Min(bytes, int.MaxValue), TrickleInterval = interval });
    }

    private static string? Set(ref FaultPlan plan, FaultPlan value)
    {
        plan = value;
        return null;
    }

    private static string? Duration(string? value, string name, out TimeSpan duration)
    {
        duration = default;
        if (value is null)
        {
            return $"'{name}' needs a duration, e.g. {name}=200ms";
        }

        var (number, unit) = Split(value);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0)
        {
            return $"'{name}={value}' is not a duration; use e.g. 200ms or 1.5s";
        }

        switch (unit)
        {
            case "ms":
            case "":
                duration = TimeSpan.FromMilliseconds(amount);
                return null;
            case "s":
                duration = TimeSpan.FromSeconds(amount);
                return null;
            default:
                return $"'{name}={value}': unit '{unit}' unknown; use ms or s";
        }
    }

    private static bool TryParseSize(string value, out long bytes)
    {
        bytes = 0;
        var (number, unit) = Split(value);
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        long? multiplier = unit switch
        {
            "" or "b" => 1,
            "kb" or "k" or "kib" => 1024,
            "mb" or "m" or "mib" => 1024 * 1024,
            _ => null,
        };
        if (multiplier is null)
        {
            return false;
        }

        bytes = amount * multiplier.Value;
        return true;
    }

    private static (string Number, string Unit) Split(string value)
    {
        var text = value.Trim().ToLowerInvariant();
        var i = 0;
        while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'))
        {
            i++;
        }

        return (text[..i], text[i..].Trim());
    }
}
