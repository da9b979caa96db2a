using System.Collections.Immutable;
using System.Text.Json;
using Router.Service.Catalogue.Files;

namespace Router.Service.Catalogue;

/// <summary>Reads <c>defaults.json</c>: media type → mode → config name. Keys starting with <c>_</c> are comments.</summary>
internal static class DefaultsReader
{
    public const string FileName = "defaults.json";

    public static ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, string>> Read(
        string root, IReadOnlyDictionary<string, ConfigDefinition> configs, IReadOnlySet<string> broken, CatalogueErrors errors)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, ImmutableSortedDictionary<string, string>>(StringComparer.Ordinal);
        var path = Path.Combine(root, FileName);
        if (!File.Exists(path))
        {
            errors.Add(FileName, "", $"{FileName} is missing; add e.g. {{ \"image\": {{ \"fast\": \"gpt-image-1-mini\" }} }}");
            return result.ToImmutable();
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), CatalogueJson.DocumentOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(FileName, "", "the file must hold an object: { \"image\": { \"fast\": \"<config>\" } }");
                return result.ToImmutable();
            }

            foreach (var media in document.RootElement.EnumerateObject().Where(p => !p.Name.StartsWith('_')))
            {
                if (media.Value.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(FileName, media.Name, $"{media.Name} must be an object of mode -> config name, e.g. {{ \"fast\": \"gpt-image-1-mini\" }}");
                    continue;
                }

                result[media.Name] = ReadModes(media, configs, broken, errors);
            }
        }
        catch (JsonException ex)
        {
            errors.Add(FileName, "", CatalogueFileReader.Describe(ex));
        }
        catch (IOException ex)
        {
            errors.Add(FileName, "", $"cannot be read ({ex.Message}); check the file and its permissions");
        }

        return result.ToImmutable();
    }

    private static ImmutableSortedDictionary<string, string> ReadModes(
        JsonProperty media, IReadOnlyDictionary<string, ConfigDefinition> configs, IReadOnlySet<string> broken, CatalogueErrors errors)
    {
        var modes = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var mode in media.Value.EnumerateObject().Where(p => !p.Name.StartsWith('_')))
        {
            var field = $"{media.Name}.{mode.Name}";
            if (!CatalogueErrors.IsValidName(mode.Name))
            {
                errors.Add(FileName, field, $"{field}: mode '{mode.Name}' may only use a-z, 0-9, '.', '_' and '-'");
            }

            if (mode.Value.ValueKind != JsonValueKind.String)
            {
                errors.Add(FileName, field, $"{field} must be a config name (a string)");
                continue;
            }

            var name = mode.Value.GetString()!;
            if (configs.TryGetValue(name, out var config))
            {
                if (config.MediaType != media.Name)
                {
                    errors.Add(FileName, field, $"{field} = '{name}' is a {config.MediaType} config; pick a {media.Name} config");
                }
            }
            else if (!broken.Contains(name))
            {
                errors.Add(FileName, field, $"{field} = '{name}' does not exist; use one of: {string.Join(", ", configs.Keys.Order(StringComparer.Ordinal))}");
            }

            modes[mode.Name] = name;
        }

        return modes.ToImmutable();
    }
}
