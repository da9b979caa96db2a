using System.Collections.Immutable;
using System.Text.Json;
using Router.Service.Catalogue.Files;

namespace Router.Service.Catalogue;

/// <summary>
/// What an executed chunk's <c>input_mappings</c> add to its rules and defaults, so the router validates its parameters
/// like any other chunk's: a provider-specific parameter becomes an extra with the mapping's type, allowed values and
/// range; a mapped seed is accepted; allowed sizes and formats fill rules the chunk left out; each mapping's default
/// becomes the chunk's default (the chunk's own <c>defaults</c> win).
/// </summary>
internal static class MappedParameters
{
    public static ParameterRules AddRules(ParameterRules rules, RulesFile written, ImmutableDictionary<string, InputMapping> mappings)
    {
        var extras = rules.Extras;
        foreach (var (name, mapping) in mappings.Where(m => !InputMapping.Typed.Contains(m.Key)))
        {
            extras = extras.ContainsKey(name) ? extras : extras.Add(name, mapping.ToRule());
        }
        var result = rules with { Extras = extras, Seed = rules.Seed || mappings.ContainsKey("seed") };
        if (written.OutputFormats is null && mappings.TryGetValue("output_format", out var format) && !format.AllowedValues.IsEmpty)
        {
            result = result with { OutputFormats = format.AllowedValues };
        }
        if (written.Sizes is null && mappings.TryGetValue("size", out var size) && !size.AllowedValues.IsEmpty)
        {
            result = result with { Sizes = size.AllowedValues };
        }
        if (written.MaxN is null && mappings.TryGetValue("n", out var n) && n.Max is { } most)
        {
            result = result with { MaxN = (int)Math.Clamp(most, 1, 10) };
        }
        return result;
    }

    public static ImageParameters Defaults(ImmutableDictionary<string, InputMapping> mappings)
    {
        string? Text(string name) => mappings.GetValueOrDefault(name)?.Default is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
        long? Number(string name) => mappings.GetValueOrDefault(name)?.Default is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) ? number : null;

        var size = Text("size");
        if (size is null && Number("width") is { } width && Number("height") is { } height)
        {
            size = $"{width}x{height}";
        }
        return new ImageParameters
        {
            Size = size,
            Quality = Text("quality"),
            N = (int?)Number("n"),
            OutputFormat = Text("output_format"),
            Background = Text("background"),
            PartialImages = (int?)Number("partial_images"),
            OutputCompression = (int?)Number("output_compression"),
            Seed = Number("seed"),
            Extra = mappings
                .Where(m => !InputMapping.Typed.Contains(m.Key) && m.Value.Default is not null)
                .ToImmutableDictionary(m => m.Key, m => m.Value.Default!.Value, StringComparer.Ordinal),
        };
    }
}
