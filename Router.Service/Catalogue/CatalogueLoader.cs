using System.Collections.Immutable;
using Router.Service.Catalogue.Files;

namespace Router.Service.Catalogue;

/// <summary>The outcome of loading a catalogue directory: a snapshot, or every error found.</summary>
public sealed record CatalogueLoadResult
{
    /// <summary>The snapshot; <c>null</c> when <see cref="Errors"/> is not empty.</summary>
    public CatalogueSnapshot? Catalogue { get; init; }

    /// <summary>Every error, ordered by file. Empty on success.</summary>
    public ImmutableArray<CatalogueError> Errors { get; init; } = [];

    /// <summary>Whether the catalogue can be used.</summary>
    public bool IsValid => Catalogue is not null;
}

/// <summary>
/// Loads a catalogue directory (<c>chunks/**/*.json</c>, <c>configs/**/*.json</c>, <c>defaults.json</c>) into an
/// immutable <see cref="CatalogueSnapshot"/>, validating everything and collecting every error.
/// </summary>
public static class CatalogueLoader
{
    /// <summary>Loads and validates <paramref name="directory"/>. Never throws for bad content.</summary>
    public static CatalogueLoadResult Load(string directory, TimeProvider? time = null)
    {
        directory = Path.GetFullPath(directory);
        var errors = new CatalogueErrors();
        if (!Directory.Exists(directory))
        {
            errors.Add(".", "", $"the catalogue directory '{directory}' does not exist; set Catalogue:Path to a directory with chunks/, configs/ and defaults.json");
            return Fail(errors);
        }

        var chunkFiles = ReadAll<ChunkFile>(directory, "chunks", errors);
        var configFiles = ReadAll<ConfigFile>(directory, "configs", errors);

        var chunks = new Dictionary<string, ChunkDefinition>(StringComparer.Ordinal);
        var brokenChunks = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, file, content) in chunkFiles)
        {
            if (content is not null && Checked(file, errors, () => ChunkBuilder.Build(file, name, content, errors)) is { } chunk)
            {
                chunks[name] = chunk;
            }
            else
            {
                brokenChunks.Add(name);
            }
        }

        var configs = new Dictionary<string, ConfigDefinition>(StringComparer.Ordinal);
        var brokenConfigs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, file, content) in configFiles)
        {
            if (content is not null && Checked(file, errors, () => ConfigBuilder.Build(file, name, content, chunks, brokenChunks, errors)) is { } config)
            {
                configs[name] = config;
            }
            else
            {
                brokenConfigs.Add(name);
            }
        }

        FallbackChecker.Check(configs, brokenConfigs, errors);
        var defaults = Checked("defaults.json", errors, () => DefaultsReader.Read(directory, configs, brokenConfigs, errors));

        if (errors.Count > 0 || defaults is null)
        {
            return Fail(errors);
        }

        var catalogue = new CatalogueSnapshot(
            directory,
            (time ?? TimeProvider.System).GetUtcNow(),
            chunks.ToImmutableSortedDictionary(StringComparer.Ordinal),
            configs.ToImmutableSortedDictionary(StringComparer.Ordinal),
            defaults);
        return new CatalogueLoadResult { Catalogue = catalogue };
    }

    /// <summary>Loads <paramref name="directory"/> or throws <see cref="InvalidCatalogueException"/> listing every error.</summary>
    public static CatalogueSnapshot LoadOrThrow(string directory, TimeProvider? time = null)
    {
        var result = Load(directory, time);
        return result.Catalogue ?? throw new InvalidCatalogueException(Path.GetFullPath(directory), result.Errors);
    }

    /// <summary>
    /// Builds one file; a content the builders did not foresee (a null where a list belongs, a lone surrogate in a string)
    /// becomes an error naming the file instead of an exception: the loader reports, it never crashes the router.
    /// </summary>
    private static T? Checked<T>(string file, CatalogueErrors errors, Func<T?> build) where T : class
    {
        try
        {
            return build();
        }
        catch (Exception ex) when (ex is NullReferenceException or InvalidOperationException or ArgumentException or FormatException
            or KeyNotFoundException or InvalidCastException or OverflowException or System.Text.Json.JsonException)
        {
            errors.Add(file, "", $"{file} has content the catalogue cannot read ({ex.GetType().Name}: {ex.Message}); check for null values, non-string items in lists and invalid escapes");
            return null;
        }
    }

    private static CatalogueLoadResult Fail(CatalogueErrors errors) => new()
    {
        Errors = [.. errors.Items.OrderBy(e => e.File, StringComparer.Ordinal)],
    };

    private static List<(string Name, string File, T? Content)> ReadAll<T>(string root, string folder, CatalogueErrors errors)
        where T : class
    {
        var result = new List<(string, string, T?)>();
        var path = Path.Combine(root, folder);
        if (!Directory.Exists(path))
        {
            errors.Add(folder, "", $"the folder {folder}/ is missing; create it next to defaults.json");
            return result;
        }

        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var fullPath in Directory.EnumerateFiles(path, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var file = Path.GetRelativePath(root, fullPath).Replace('\\', '/');
            var name = Path.GetFileNameWithoutExtension(fullPath);
            if (seen.TryGetValue(name, out var first))
            {
                errors.Add(file, "name", $"name '{name}' is already defined by {first}; names must be unique (case-insensitively) across {folder}/, rename one of them");
                continue;
            }

            seen[name] = file;
            result.Add((name, file, CatalogueFileReader.Read<T>(fullPath, file, errors)));
        }

        return result;
    }
}
