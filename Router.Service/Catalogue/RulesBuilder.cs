using System.Collections.Immutable;
using Router.Service.Catalogue.Files;

namespace Router.Service.Catalogue;

/// <summary>Turns a chunk's <c>rules</c> into <see cref="ParameterRules"/>, reporting every inconsistency.</summary>
internal static class RulesBuilder
{
    /// <summary>The JSON names of the value types of extras and input mappings.</summary>
    internal static readonly IReadOnlyDictionary<string, ExtraValueKind> ExtraKinds = new Dictionary<string, ExtraValueKind>(StringComparer.Ordinal)
    {
        ["string"] = ExtraValueKind.String,
        ["integer"] = ExtraValueKind.Integer,
        ["number"] = ExtraValueKind.Number,
        ["boolean"] = ExtraValueKind.Boolean,
    };

    public static ParameterRules Build(string file, RulesFile rules, CatalogueErrors errors)
    {
        foreach (var size in rules.Sizes ?? [])
        {
            if (size != "auto" && !(ParameterChecker.TryParseSize(size, out var w, out var h) && w > 0 && h > 0))
            {
                errors.Add(file, "rules.sizes", $"rules.sizes contains '{size}'; use \"auto\" or WIDTHxHEIGHT such as \"1024x1024\"");
            }
        }

        ChunkBuilder.CheckSubset(file, "rules.output_formats", rules.OutputFormats, ChunkBuilder.KnownFormats, errors);
        ChunkBuilder.CheckSubset(file, "rules.backgrounds", rules.Backgrounds, ChunkBuilder.KnownBackgrounds, errors);
        CheckRange(file, "rules.max_n", rules.MaxN, 1, 10, errors);
        CheckRange(file, "rules.max_partial_images", rules.MaxPartialImages, 0, 3, errors);
        CheckRange(file, "rules.max_prompt_length", rules.MaxPromptLength, 1, 32000, errors);

        return new ParameterRules
        {
            Sizes = ChunkBuilder.ToArray(rules.Sizes),
            CustomSize = BuildCustomSize(file, rules.CustomSize, errors),
            Qualities = ChunkBuilder.ToArray(rules.Qualities),
            OutputFormats = ChunkBuilder.ToArray(rules.OutputFormats),
            Backgrounds = ChunkBuilder.ToArray(rules.Backgrounds),
            MaxN = rules.MaxN ?? 1,
            MaxPartialImages = rules.MaxPartialImages ?? 0,
            OutputCompression = BuildRange(file, "rules.output_compression", rules.OutputCompression, 0, 100, errors),
            Seed = rules.Seed ?? false,
            MaxPromptLength = rules.MaxPromptLength ?? 32000,
            InputImages = BuildRange(file, "rules.input_images", rules.InputImages, 0, 16, errors) ?? new IntRange(0, 0),
            Mask = rules.Mask ?? false,
            Extras = BuildExtras(file, rules.Extras, errors),
        };
    }

    private static CustomSizeRule? BuildCustomSize(string file, CustomSizeFile? custom, CatalogueErrors errors)
    {
        if (custom is null)
        {
            return null;
        }

        if (custom.MultipleOf is not ({ } multiple and >= 1))
        {
            errors.Add(file, "rules.custom_size.multiple_of", "rules.custom_size.multiple_of is required and must be at least 1, e.g. 16");
            return null;
        }

        var rule = new CustomSizeRule { MultipleOf = multiple, MinEdge = custom.MinEdge ?? multiple, MaxEdge = custom.MaxEdge ?? 4096 };
        if (rule.MinEdge < 1 || rule.MinEdge > rule.MaxEdge)
        {
            errors.Add(file, "rules.custom_size", $"rules.custom_size min_edge {rule.MinEdge} must be at least 1 and at most max_edge {rule.MaxEdge}");
        }

        return rule;
    }

    private static IntRange? BuildRange(string file, string field, RangeFile? range, int lowest, int highest, CatalogueErrors errors)
    {
        if (range is null)
        {
            return null;
        }

        var result = new IntRange(range.Min ?? lowest, range.Max ?? highest);
        if (result.Min < lowest || result.Max > highest || result.Min > result.Max)
        {
            errors.Add(file, field, $"{field} = {result} is invalid; min and max must lie in {lowest}-{highest} with min <= max");
        }

        return result;
    }

    private static ImmutableDictionary<string, ExtraRule> BuildExtras(string file, Dictionary<string, ExtraRuleFile>? extras, CatalogueErrors errors)
    {
        var result = ImmutableDictionary.CreateBuilder<string, ExtraRule>(StringComparer.Ordinal);
        foreach (var (name, extra) in extras ?? [])
        {
            var field = $"rules.extras.{name}";
            var kind = ExtraValueKind.String;
            if (extra.Type is not null && !ExtraKinds.TryGetValue(extra.Type, out kind))
            {
                errors.Add(file, $"{field}.type", $"{field}.type = '{extra.Type}' is unknown; allowed: {string.Join(", ", ExtraKinds.Keys)}");
            }

            if (extra.Values is { Count: > 0 } && kind != ExtraValueKind.String)
            {
                errors.Add(file, $"{field}.values", $"{field}.values only applies to type string; use min/max for numbers");
            }

            if (extra.Min > extra.Max)
            {
                errors.Add(file, field, $"{field} min {extra.Min} is greater than max {extra.Max}");
            }

            result[name] = new ExtraRule { Type = kind, Values = ChunkBuilder.ToArray(extra.Values), Min = extra.Min, Max = extra.Max };
        }

        return result.ToImmutable();
    }

    internal static void CheckRange(string file, string field, int? value, int min, int max, CatalogueErrors errors)
    {
        if (value is { } v && (v < min || v > max))
        {
            errors.Add(file, field, $"{field} = {v} is out of range; allowed: {min}-{max}");
        }
    }
}
