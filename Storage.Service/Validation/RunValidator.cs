using System.Diagnostics.CodeAnalysis;
using Pipeline.Contracts.Storage.V1;
using Pipeline.ServiceDefaults.Security;

namespace Storage.Service.Validation;

/// <summary>Checks a run record a caller sends (PutImage's run, UpsertRun) before anything is written.</summary>
public static class RunValidator
{
    private const int MaxLabelLength = 200;
    private const int MaxTextLength = 100_000;
    private const int MaxDigestEntries = 32;
    private const int MaxAttempts = 32;

    /// <summary>INVALID_ARGUMENT on the first bad field, prefixed with <paramref name="prefix"/> ("run." inside PutImage).</summary>
    public static void Validate([NotNull] RunRecord? run, string prefix)
    {
        if (run is null)
        {
            StorageException.ThrowInvalid(prefix.TrimEnd('.'), "run is missing; send the run with at least run_id");
        }
        Ids.RequireRunId(run.RunId, prefix + "run_id");
        CheckLength(run.Config, MaxLabelLength, prefix + "config");
        CheckLength(run.Mode, MaxLabelLength, prefix + "mode");
        CheckLength(run.Provider, MaxLabelLength, prefix + "provider");
        CheckLength(run.Model, MaxLabelLength, prefix + "model");
        CheckLength(run.Operation, MaxLabelLength, prefix + "operation");
        CheckLength(run.Prompt, MaxTextLength, prefix + "prompt");
        CheckLength(run.RevisedPrompt, MaxTextLength, prefix + "revised_prompt");
        CheckLength(run.Error, MaxTextLength, prefix + "error");
        if (!Enum.IsDefined(run.State))
        {
            StorageException.ThrowInvalid(prefix + "state", $"state {(int)run.State} is not a RunState; allowed: 0-3");
        }
        if (run.CostUsdMicros < 0)
        {
            StorageException.ThrowInvalid(prefix + "cost_usd_micros", $"cost_usd_micros is {run.CostUsdMicros}; it cannot be negative");
        }
        if (run.TraceId.Length > 0 && !IsTraceId(run.TraceId))
        {
            StorageException.ThrowInvalid(prefix + "trace_id", $"trace_id '{run.TraceId}' is not a W3C trace id (32 lower-case hex characters, not all zero)");
        }
        if (run.Tenant.Length > 0 && Caller.CheckTenant(run.Tenant) is { } tenantProblem)
        {
            StorageException.ThrowInvalid(prefix + "tenant", tenantProblem);
        }
        CheckDigest(run, prefix + "request_digest");
        if (run.Attempts.Count > MaxAttempts)
        {
            StorageException.ThrowInvalid(prefix + "attempts", $"attempts has {run.Attempts.Count} entries; at most {MaxAttempts}");
        }
        foreach (var attempt in run.Attempts)
        {
            CheckLength(attempt.Config, MaxLabelLength, prefix + "attempts.config");
            CheckLength(attempt.Provider, MaxLabelLength, prefix + "attempts.provider");
            CheckLength(attempt.Model, MaxLabelLength, prefix + "attempts.model");
            CheckLength(attempt.StatusCode, MaxLabelLength, prefix + "attempts.status_code");
            CheckLength(attempt.Reason, MaxLabelLength * 10, prefix + "attempts.reason");
        }
        if (run.Images.Count > 0)
        {
            StorageException.ThrowInvalid(prefix + "images", "images are filled by storage; store images with PutImage");
        }
    }

    private static void CheckDigest(RunRecord run, string field)
    {
        if (run.RequestDigest.Count > MaxDigestEntries)
        {
            StorageException.ThrowInvalid(field, $"{field} has {run.RequestDigest.Count} entries; at most {MaxDigestEntries}");
        }
        foreach (var (key, value) in run.RequestDigest)
        {
            if (key.Length is 0 or > MaxLabelLength || value.Length > MaxLabelLength)
            {
                StorageException.ThrowInvalid(field, $"{field} keys must be 1-{MaxLabelLength} characters and values at most {MaxLabelLength} (digests or config names, never the request itself)");
            }
        }
    }

    private static void CheckLength(string value, int max, string field)
    {
        if (value.Length > max)
        {
            StorageException.ThrowInvalid(field, $"{field} is {value.Length} characters long; at most {max}");
        }
    }

    private static bool IsTraceId(string value) =>
        value.Length == 32
        && value.All(c => char.IsAsciiDigit(c) || char.IsAsciiHexDigitLower(c))
        && value.Any(c => c != '0');
}
