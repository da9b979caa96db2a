using System.Collections.Immutable;
using System.Text.Json;
using Router.Service.Catalogue.Files;

namespace Router.Service.Catalogue;

/// <summary>
/// One parameter of an executed chunk (<c>input_mappings.{name}</c>): where the adapter writes it, and what the router
/// accepts for it.
/// </summary>
/// <param name="Field">Where the value goes, e.g. <c>request_body.seed</c> or <c>3.inputs.steps</c>.</param>
/// <param name="Type">The value's JSON type (from <c>type</c>, else the default's or the allowed values').</param>
/// <param name="Default">The value when nobody sets one; null: the template's value stays (a seed: drawn).</param>
/// <param name="AllowedValues">Allowed strings; empty: any.</param>
/// <param name="Min">Smallest number allowed, or null.</param>
/// <param name="Max">Largest number allowed, or null.</param>
public sealed record InputMapping(string Field, ExtraValueKind Type, JsonElement? Default, ImmutableArray<string> AllowedValues, double? Min, double? Max)
{
    /// <summary>The parameters the router knows by name (the typed fields, plus width and height, which come from size).</summary>
    public static readonly ImmutableHashSet<string> Typed =
        ["prompt", "size", "width", "height", "quality", "n", "output_format", "background", "partial_images", "output_compression", "seed"];

    /// <summary>The rule a provider-specific parameter gets from its mapping.</summary>
    public ExtraRule ToRule() => new() { Type = Type, Values = AllowedValues, Min = Min, Max = Max };
}

/// <summary>Reads <c>input_mappings</c>, reporting every problem.</summary>
internal static class InputMappingBuilder
{
    public static ImmutableDictionary<string, InputMapping> Build(
        string file, Dictionary<string, InputMappingFile>? mappings, Func<string, bool> isValidField, string fieldHelp, CatalogueErrors errors)
    {
        var result = ImmutableDictionary.CreateBuilder<string, InputMapping>(StringComparer.Ordinal);
        foreach (var (name, mapping) in mappings ?? [])
        {
            var at = $"input_mappings.{name}";
            if (!CatalogueErrors.IsValidName(name.Replace('_', '-')))
            {
                errors.Add(file, at, $"parameter name '{name}' may only use a-z, 0-9, '_' and '-'");
                continue;
            }
            if (mapping.Field is not { Length: > 0 } field || !isValidField(field))
            {
                errors.Add(file, $"{at}.field", $"{at}.field = '{mapping.Field}' must be {fieldHelp}");
                continue;
            }
            var type = TypeOf(file, at, mapping, errors);
            var allowed = ImmutableArray.CreateBuilder<string>();
            foreach (var value in mapping.AllowedValues ?? [])
            {
                if (value.ValueKind == JsonValueKind.String)
                {
                    allowed.Add(value.GetString()!);
                }
                else
                {
                    errors.Add(file, $"{at}.allowed_values", $"{at}.allowed_values lists strings; for numbers use \"min\" and \"max\" (e.g. \"min\": 0.0, \"max\": 2.0)");
                    break;
                }
            }
            if (mapping.Min > mapping.Max)
            {
                errors.Add(file, at, $"{at} min {mapping.Min} is greater than max {mapping.Max}");
            }
            // Defaults are checked against the rules with the chunk's other defaults (ChunkBuilder).
            result[name] = new InputMapping(field, type, mapping.Default?.Clone(), allowed.ToImmutable(), mapping.Min, mapping.Max);
        }
        return result.ToImmutable();
    }

    /// <summary>The declared type, else the default's, else string (number when only min/max are given).</summary>
    private static ExtraValueKind TypeOf(string file, string at, InputMappingFile mapping, CatalogueErrors errors)
    {
        if (mapping.Type is { } declared)
        {
            if (RulesBuilder.ExtraKinds.TryGetValue(declared, out var kind))
            {
                return kind;
            }
            errors.Add(file, $"{at}.type", $"{at}.type = '{declared}' is unknown; allowed: {string.Join(", ", RulesBuilder.ExtraKinds.Keys)}");
            return ExtraValueKind.String;
        }
        return mapping.Default switch
        {
            { ValueKind: JsonValueKind.Number } number => number.TryGetInt64(out _) && !number.GetRawText().Contains('.') ? ExtraValueKind.Integer : ExtraValueKind.Number,
            { ValueKind: JsonValueKind.True or JsonValueKind.False } => ExtraValueKind.Boolean,
            null when mapping.Min is not null || mapping.Max is not null => ExtraValueKind.Number,
            _ => ExtraValueKind.String,
        };
    }
}
