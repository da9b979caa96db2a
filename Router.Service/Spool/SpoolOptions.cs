using Microsoft.Extensions.Options;

namespace Router.Service.Spool;

/// <summary>Where final images wait when Storage.Service is unavailable, and how delivery retries. Section <c>Router:Spool</c>.</summary>
public sealed record SpoolOptions
{
    /// <summary>The configuration section: <c>Router:Spool</c>.</summary>
    public const string SectionName = "Router:Spool";

    /// <summary><c>Directory</c>: the spool folder; relative paths are under the content root. Default: <c>spool</c>.</summary>
    public string Directory { get; init; } = "spool";

    /// <summary><c>RetryInitialDelayMilliseconds</c>: first wait after a failed delivery, 10-600000 ms. Default: 1000.</summary>
    public int RetryInitialDelayMilliseconds { get; init; } = 1000;

    /// <summary><c>RetryMaxDelayMilliseconds</c>: longest wait between delivery attempts (the wait doubles up to it), 10-3600000 ms. Default: 60000.</summary>
    public int RetryMaxDelayMilliseconds { get; init; } = 60_000;
}

/// <summary>Reports every problem of <see cref="SpoolOptions"/> at once.</summary>
internal sealed class SpoolOptionsValidator : IValidateOptions<SpoolOptions>
{
    public ValidateOptionsResult Validate(string? name, SpoolOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            failures.Add("Router:Spool:Directory is empty; set the folder final images wait in while storage is down (default \"spool\").");
        }
        else if (options.Directory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"Router:Spool:Directory '{options.Directory}' contains characters that are not valid in a path.");
        }
        if (options.RetryInitialDelayMilliseconds is < 10 or > 600_000)
        {
            failures.Add($"Router:Spool:RetryInitialDelayMilliseconds = {options.RetryInitialDelayMilliseconds} is out of range; allowed: 10-600000.");
        }
        if (options.RetryMaxDelayMilliseconds is < 10 or > 3_600_000)
        {
            failures.Add($"Router:Spool:RetryMaxDelayMilliseconds = {options.RetryMaxDelayMilliseconds} is out of range; allowed: 10-3600000.");
        }
        else if (options.RetryMaxDelayMilliseconds < options.RetryInitialDelayMilliseconds)
        {
            failures.Add($"Router:Spool:RetryMaxDelayMilliseconds ({options.RetryMaxDelayMilliseconds}) is below RetryInitialDelayMilliseconds ({options.RetryInitialDelayMilliseconds}); make it at least as large.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
