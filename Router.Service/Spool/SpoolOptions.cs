using Microsoft.Extensions.Options;

namespace Router.Service.Spool;

/// <summary>Where final images wait when Storage.Service is unavailable, and how delivery retries. Section <c>Router:Spool</c>.</summary>
public sealed record SpoolOptions
{
    /// <summary>The configuration section: <c>Router:Spool</c>.</summary>
    public const string SectionName = "Router:Spool";

    /// <summary><c>Directory</c>: the spool folder; relative paths are under the content root. Default: <c>spool</c>.</summary>
    public string Directory { get; init; } = "spool";

    /// <summary>
    /// <c>QuarantineDirectory</c>: where images storage refuses for good (e.g. over its size cap) are kept for an operator;
    /// relative paths are under the content root. Must not be the spool folder or inside it.
    /// Default: empty, meaning the folder <c>quarantine</c> next to the spool folder (<c>{Directory}/../quarantine</c>).
    /// </summary>
    public string QuarantineDirectory { get; init; } = "";

    /// <summary><c>RetryInitialDelayMilliseconds</c>: first wait after a failed delivery, 10-600000 ms. Default: 1000.</summary>
    public int RetryInitialDelayMilliseconds { get; init; } = 1000;

    /// <summary><c>RetryMaxDelayMilliseconds</c>: longest wait between delivery attempts (the wait doubles up to it), 10-3600000 ms. Default: 60000.</summary>
    public int RetryMaxDelayMilliseconds { get; init; } = 60_000;

    /// <summary>The absolute quarantine folder for the absolute spool folder <paramref name="spoolDirectory"/>.</summary>
    public string ResolveQuarantineDirectory(string contentRoot, string spoolDirectory) =>
        string.IsNullOrWhiteSpace(QuarantineDirectory)
            ? Path.Combine(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(spoolDirectory)) ?? spoolDirectory, "quarantine")
            : Path.GetFullPath(Path.Combine(contentRoot, QuarantineDirectory));
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
        if (options.QuarantineDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"Router:Spool:QuarantineDirectory '{options.QuarantineDirectory}' contains characters that are not valid in a path.");
        }
        else if (options.QuarantineDirectory.Length > 0 && options.Directory.Length > 0 && IsSameOrInside(options.QuarantineDirectory, options.Directory))
        {
            failures.Add($"Router:Spool:QuarantineDirectory '{options.QuarantineDirectory}' is the spool folder or inside it; "
                + "the spool would deliver (and refuse) its images again. Leave it empty for a 'quarantine' folder next to the spool, or pick another folder.");
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

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or under it (both resolved against the same base).</summary>
    private static bool IsSameOrInside(string path, string folder)
    {
        var root = Path.GetFullPath("/");
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path, root));
        var parent = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder, root));
        return full == parent || full.StartsWith(parent + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }
}
