namespace Declarative.Adapter.Templates;

/// <summary>
/// The operator's values of a chunk's secrets: <c>Declarative:Secrets:{NAME}</c>, else the environment variable NAME (read
/// through configuration, like the other adapters' keys). Values are never logged.
/// </summary>
internal sealed class SecretStore(DeclarativeOptions options, IConfiguration configuration)
{
    /// <summary>The configured value of <paramref name="name"/>, or null.</summary>
    public string? Find(string name)
    {
        if (options.Secrets.TryGetValue(name, out var configured) && !string.IsNullOrWhiteSpace(configured))
        {
            return configured.Trim();
        }
        return configuration[name] is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment) ? fromEnvironment.Trim() : null;
    }
}
