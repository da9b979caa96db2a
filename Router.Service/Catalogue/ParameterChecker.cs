using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Router.Service.Catalogue;

/// <summary>Checks one parameter layer against a chunk's rules; shared by the catalogue validator and request validation.</summary>
internal static class ParameterChecker
{
    public static List<ParameterViolation> Check(ChunkDefinition chunk, ImageParameters layer, ImageParameters effective, string prefix)
    {
        var rules = chunk.Rules;
        var violations = new List<ParameterViolation>();
        void Add(string field, string text) => violations.Add(new($"{prefix}.{field}", $"{prefix}.{field}{text}"));

        if (layer.Size is { } size && !IsAllowedSize(rules, size))
        {
            Add("size", rules.Sizes.IsEmpty && rules.CustomSize is null
                ? NotSupported(chunk)
                : $" = '{size}' is not allowed for {chunk.Model}; allowed: {AllowedSizes(rules)}");
        }

        CheckValue(layer.Quality, rules.Qualities, "quality", chunk, Add);
        CheckValue(layer.OutputFormat, rules.OutputFormats, "output_format", chunk, Add);
        CheckValue(layer.Background, rules.Backgrounds, "background", chunk, Add);

        if (layer.N is { } n && (n < 1 || n > rules.MaxN))
        {
            Add("n", $" = {n} is out of range for {chunk.Model}; allowed: 1-{rules.MaxN}");
        }

        if (layer.PartialImages is { } partials && (partials < 0 || partials > rules.MaxPartialImages))
        {
            Add("partial_images", $" = {partials} is out of range for {chunk.Model}; allowed: 0-{rules.MaxPartialImages}");
        }

        if (layer.OutputCompression is { } compression)
        {
            if (rules.OutputCompression is not { } range)
            {
                Add("output_compression", NotSupported(chunk));
            }
            else if (!range.Contains(compression))
            {
                Add("output_compression", $" = {compression} is out of range; allowed: {range}");
            }
            else if ((effective.OutputFormat ?? "png") == "png")
            {
                Add("output_compression", " applies only to jpeg and webp; set output_format to jpeg or webp, or leave it unset");
            }
        }

        if (layer.Seed is not null && !rules.Seed)
        {
            Add("seed", NotSupported(chunk));
        }

        if (effective.Background == "transparent" && effective.OutputFormat == "jpeg" && (layer.Background is not null || layer.OutputFormat is not null))
        {
            Add("background", " = 'transparent' needs output_format png or webp; got 'jpeg'");
        }

        foreach (var (name, value) in layer.Extra.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!rules.Extras.TryGetValue(name, out var rule))
            {
                var allowed = rules.Extras.IsEmpty ? "none" : string.Join(", ", rules.Extras.Keys.Order(StringComparer.Ordinal));
                Add($"extra.{name}", $" is not a parameter {chunk.Model} accepts; allowed extras: {allowed}");
            }
            else if (CheckExtra(rule, value) is { } problem)
            {
                Add($"extra.{name}", problem);
            }
        }

        return violations;
    }

    public static bool IsAllowedSize(ParameterRules rules, string size)
    {
        if (rules.Sizes.Contains(size))
        {
            return true;
        }

        if (rules.CustomSize is not { } custom || !TryParseSize(size, out var width, out var height))
        {
            return false;
        }

        var minEdge = Math.Max(custom.MinEdge, custom.MultipleOf);
        return width % custom.MultipleOf == 0 && height % custom.MultipleOf == 0
            && width >= minEdge && height >= minEdge && width <= custom.MaxEdge && height <= custom.MaxEdge;
    }

    public static bool TryParseSize(string size, out int width, out int height)
    {
        width = height = 0;
        var parts = size.Split('x');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out width)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out height);
    }

    private static string AllowedSizes(ParameterRules rules)
    {
        var fixedSizes = string.Join(", ", rules.Sizes);
        return rules.CustomSize is { } custom
            ? (fixedSizes.Length > 0 ? $"{fixedSizes} or " : "") + custom
            : fixedSizes;
    }

    private static void CheckValue(string? value, ImmutableArray<string> allowed, string field, ChunkDefinition chunk, Action<string, string> add)
    {
        if (value is null || allowed.Contains(value))
        {
            return;
        }

        add(field, allowed.IsEmpty
            ? NotSupported(chunk)
            : $" = '{value}' is not allowed for {chunk.Model}; allowed: {string.Join(", ", allowed)}");
    }

    private static string NotSupported(ChunkDefinition chunk) => $" is not supported by {chunk.Model}; leave it unset";

    private static string? CheckExtra(ExtraRule rule, JsonElement value)
    {
        switch (rule.Type)
        {
            case ExtraValueKind.String when value.ValueKind != JsonValueKind.String:
            case ExtraValueKind.Integer when value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _):
            case ExtraValueKind.Number when value.ValueKind != JsonValueKind.Number:
            case ExtraValueKind.Boolean when value.ValueKind is not (JsonValueKind.True or JsonValueKind.False):
                return $" = {value.GetRawText()} must be a {rule.Type.ToString().ToLowerInvariant()}";
            case ExtraValueKind.String when !rule.Values.IsEmpty && !rule.Values.Contains(value.GetString()!):
                return $" = '{value.GetString()}' is not allowed; allowed: {string.Join(", ", rule.Values)}";
            case ExtraValueKind.Integer or ExtraValueKind.Number
                when value.GetDouble() is var number && (number < rule.Min || number > rule.Max):
                return $" = {value.GetRawText()} is out of range; allowed: {rule.Min?.ToString(CultureInfo.InvariantCulture) ?? "any"} to {rule.Max?.ToString(CultureInfo.InvariantCulture) ?? "any"}";
            default:
                return null;
        }
    }
}
