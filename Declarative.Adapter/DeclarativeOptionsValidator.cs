using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Declarative.Adapter;

/// <summary>Reports every problem of <see cref="DeclarativeOptions"/> at once, each naming its key and how to fix it.</summary>
internal sealed partial class DeclarativeOptionsValidator : IValidateOptions<DeclarativeOptions>
{
    private static readonly TimeSpan MaxCancelTimeout = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, DeclarativeOptions options)
    {
        var failures = new List<string>();
        const string s = DeclarativeOptions.SectionName;
        if (options.EmulatorUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"'{s}:EmulatorUrl' is '{url}'; give an absolute http(s) URL such as http://127.0.0.1:5100, or leave it unset.");
        }
        if (options.CancelTimeout <= TimeSpan.Zero || options.CancelTimeout > MaxCancelTimeout)
        {
            failures.Add($"'{s}:CancelTimeout' is {options.CancelTimeout}; allowed: more than 0 and at most {MaxCancelTimeout} (default 00:00:05).");
        }
        if (options.PollInterval is { } interval && (interval <= TimeSpan.Zero || interval > TimeSpan.FromMinutes(5)))
        {
            failures.Add($"'{s}:PollInterval' is {interval}; allowed: more than 0 and at most 00:05:00, or unset (the chunk's interval).");
        }
        foreach (var (secret, value) in options.Secrets)
        {
            if (!SecretName().IsMatch(secret))
            {
                failures.Add($"'{s}:Secrets' has the name '{secret}'; secret names are letters, digits and '_' (as in {{{{STABILITY_API_KEY}}}}).");
            }
            else if (string.IsNullOrWhiteSpace(value))
            {
                failures.Add($"'{s}:Secrets:{secret}' is empty; set the value or remove the key.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex SecretName();
}
