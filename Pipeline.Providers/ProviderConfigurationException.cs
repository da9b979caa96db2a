namespace Pipeline.Providers;

/// <summary>The adapter's configuration is invalid; <see cref="Errors"/> lists every problem and how to fix it.</summary>
public sealed class ProviderConfigurationException(IReadOnlyList<string> errors)
    : Exception("Invalid provider adapter configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
{
    /// <summary>Every error found.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
