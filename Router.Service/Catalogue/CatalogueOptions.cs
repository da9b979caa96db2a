using Microsoft.Extensions.Options;

namespace Router.Service.Catalogue;

/// <summary>Where the catalogue lives and how changes are picked up. Section <c>Catalogue</c>.</summary>
public sealed record CatalogueOptions
{
    /// <summary>The configuration section: <c>Catalogue</c>.</summary>
    public const string SectionName = "Catalogue";

    /// <summary><c>Catalogue:Path</c>: the catalogue directory; relative paths are under the content root. Default: <c>catalogue</c>.</summary>
    public string Path { get; init; } = "catalogue-data";

    /// <summary><c>Catalogue:Watch</c>: reload when a file changes. Default: true.</summary>
    public bool Watch { get; init; } = true;

    /// <summary><c>Catalogue:ReloadDebounceMilliseconds</c>: quiet time after the last change before reloading, 0-60000 ms. Default: 500.</summary>
    public int ReloadDebounceMilliseconds { get; init; } = 500;
}

/// <summary>Reports every problem of <see cref="CatalogueOptions"/> at once.</summary>
internal sealed class CatalogueOptionsValidator : IValidateOptions<CatalogueOptions>
{
    public ValidateOptionsResult Validate(string? name, CatalogueOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            failures.Add("Catalogue:Path is empty; set it to the catalogue directory (default \"catalogue-data\").");
        }
        else if (options.Path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"Catalogue:Path '{options.Path}' contains characters that are not valid in a path.");
        }

        if (options.ReloadDebounceMilliseconds is < 0 or > 60_000)
        {
            failures.Add($"Catalogue:ReloadDebounceMilliseconds = {options.ReloadDebounceMilliseconds} is out of range; allowed: 0-60000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
