using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Router.Service.Catalogue;

/// <summary>
/// An immutable, validated snapshot of the catalogue: chunks, configs and the per-mode defaults. Obtain the current
/// one from <see cref="CatalogueProvider.Current"/>; a reload replaces the whole snapshot, never parts of it.
/// </summary>
public sealed class CatalogueSnapshot
{
    /// <summary>Media type used when a request names none: <c>image</c>.</summary>
    public const string DefaultMediaType = "image";

    /// <summary>Mode used when a request names neither config nor mode: <c>fast</c>.</summary>
    public const string DefaultMode = "fast";

    internal CatalogueSnapshot(
        string directory,
        DateTimeOffset loadedAt,
        ImmutableSortedDictionary<string, ChunkDefinition> chunks,
        ImmutableSortedDictionary<string, ConfigDefinition> configs,
        ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, string>> defaults)
    {
        Directory = directory;
        LoadedAt = loadedAt;
        Chunks = chunks;
        Configs = configs;
        Defaults = defaults;
    }

    /// <summary>The directory it was loaded from (absolute).</summary>
    public string Directory { get; }

    /// <summary>When it was loaded.</summary>
    public DateTimeOffset LoadedAt { get; }

    /// <summary>Every chunk, by name.</summary>
    public ImmutableSortedDictionary<string, ChunkDefinition> Chunks { get; }

    /// <summary>Every config, by name (sorted, as <c>ListConfigs</c> returns them).</summary>
    public ImmutableSortedDictionary<string, ConfigDefinition> Configs { get; }

    /// <summary>Media type → mode → config name, e.g. <c>image → fast → gpt-image-1-mini</c>.</summary>
    public ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, string>> Defaults { get; }

    /// <summary>Finds a config by its exact name.</summary>
    public bool TryGetConfig(string name, [NotNullWhen(true)] out ConfigDefinition? config) => Configs.TryGetValue(name, out config);

    /// <summary>The default config of a mode (empty = <see cref="DefaultMode"/>) for a media type (empty = <see cref="DefaultMediaType"/>).</summary>
    public bool TryGetDefault(string? mediaType, string? mode, [NotNullWhen(true)] out ConfigDefinition? config)
    {
        config = null;
        mediaType = string.IsNullOrEmpty(mediaType) ? DefaultMediaType : mediaType;
        mode = string.IsNullOrEmpty(mode) ? DefaultMode : mode;
        return Defaults.TryGetValue(mediaType, out var modes)
            && modes.TryGetValue(mode, out var name)
            && Configs.TryGetValue(name, out config);
    }

    /// <summary>
    /// The config a request means: <paramref name="configName"/> when given, else the default for
    /// <paramref name="mediaType"/>/<paramref name="mode"/>. <c>null</c> when unknown (NOT_FOUND).
    /// </summary>
    public ConfigDefinition? Resolve(string? configName, string? mode = null, string? mediaType = null)
    {
        if (!string.IsNullOrEmpty(configName))
        {
            return TryGetConfig(configName, out var named) ? named : null;
        }

        return TryGetDefault(mediaType, mode, out var byMode) ? byMode : null;
    }

    /// <summary>Validates a request against <paramref name="config"/>; see <see cref="RequestValidator.Validate"/>.</summary>
    public static RequestValidationResult Validate(ConfigDefinition config, GenerationInput input) => RequestValidator.Validate(config, input);
}
