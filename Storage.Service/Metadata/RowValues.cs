using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.Storage.V1;
using Pipeline.ServiceDefaults.Security;

namespace Storage.Service.Metadata;

/// <summary>
/// How every metadata backend stores record values: times as Unix microseconds, the default tenant as '', the request
/// digest as a sorted JSON object, attempts as a JSON array of contract messages.
/// </summary>
internal static class RowValues
{
    /// <summary>
    /// The tenant as stored: the default tenant is '' (as runs recorded before tenants are), so each tenant's runs are
    /// one index range. Reads give it back as <see cref="Caller.DefaultTenant"/>.
    /// </summary>
    public static string ToStoredTenant(string tenant) => tenant == Caller.DefaultTenant ? "" : tenant;

    public static long ToMicros(Timestamp timestamp) => checked((timestamp.Seconds * 1_000_000) + (timestamp.Nanos / 1000));

    public static Timestamp ToTimestamp(long micros)
    {
        var seconds = Math.DivRem(micros, 1_000_000, out var remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += 1_000_000;
        }
        return new Timestamp { Seconds = seconds, Nanos = (int)remainder * 1000 };
    }

    /// <summary>Now, as stored.</summary>
    public static long NowMicros(TimeProvider time) => ToMicros(Timestamp.FromDateTimeOffset(time.GetUtcNow()));

    /// <summary>The request digest as stored (keys sorted); null when the run has none.</summary>
    public static string? DigestJson(RunRecord run) => run.RequestDigest.Count == 0 ? null
        : JsonSerializer.Serialize(new SortedDictionary<string, string>(run.RequestDigest, StringComparer.Ordinal));

    /// <summary>The attempts as stored; null when the run has none.</summary>
    public static string? AttemptsJson(RunRecord run) => run.Attempts.Count == 0 ? null
        : "[" + string.Join(",", run.Attempts.Select(a => JsonFormatter.Default.Format(a))) + "]";

    public static RunRecord WithSeed(this RunRecord run, long? seed)
    {
        if (seed is { } value)
        {
            run.Seed = value;
        }
        return run;
    }

    public static RunRecord WithCostKnown(this RunRecord run, bool? costKnown)
    {
        if (costKnown is { } value)
        {
            run.CostKnown = value;
        }
        return run;
    }

    public static RunRecord WithDigestAndAttempts(this RunRecord run, string? digestJson, string? attemptsJson)
    {
        if (digestJson is not null)
        {
            run.RequestDigest.Add(JsonSerializer.Deserialize<Dictionary<string, string>>(digestJson)!);
        }
        if (attemptsJson is not null)
        {
            using var attempts = JsonDocument.Parse(attemptsJson);
            run.Attempts.AddRange(attempts.RootElement.EnumerateArray().Select(a => JsonParser.Default.Parse<RunAttempt>(a.GetRawText())));
        }
        return run;
    }
}
