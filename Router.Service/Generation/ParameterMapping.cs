using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Pipeline.Contracts.ImageGen.V1;
using Router.Service.Catalogue;

namespace Router.Service.Generation;

/// <summary>Converts parameters between the wire (<c>GenerationParameters</c>, <c>Struct</c>) and the catalogue's <see cref="ImageParameters"/>.</summary>
public static class ParameterMapping
{
    /// <summary>The request's override layer: only the fields the caller set.</summary>
    public static ImageParameters ToLayer(GenerationParameters? parameters)
    {
        if (parameters is null)
        {
            return ImageParameters.None;
        }
        var extra = ImmutableDictionary<string, JsonElement>.Empty.WithComparers(StringComparer.Ordinal);
        foreach (var (name, value) in parameters.Extra)
        {
            extra = extra.SetItem(name, ToJson(value));
        }
        return new ImageParameters
        {
            Size = parameters.HasSize ? parameters.Size : null,
            Quality = parameters.HasQuality ? parameters.Quality : null,
            N = parameters.HasN ? parameters.N : null,
            OutputFormat = parameters.HasOutputFormat ? parameters.OutputFormat : null,
            Background = parameters.HasBackground ? parameters.Background : null,
            PartialImages = parameters.HasPartialImages ? parameters.PartialImages : null,
            OutputCompression = parameters.HasOutputCompression ? parameters.OutputCompression : null,
            Seed = parameters.HasSeed ? parameters.Seed : null,
            Extra = extra,
        };
    }

    /// <summary>The set fields as a protobuf <see cref="Struct"/> with snake_case names and extras inline (as in <c>ConfigInfo.parameters</c>).</summary>
    public static Struct ToStruct(IReadOnlyDictionary<string, object> values)
    {
        var result = new Struct();
        foreach (var (name, value) in values)
        {
            result.Fields[name] = ToValue(value);
        }
        return result;
    }

    /// <summary>The extras (and the seed, which providers take as an extra) as a <see cref="Struct"/>.</summary>
    public static Struct ExtrasToStruct(ImageParameters parameters)
    {
        var result = new Struct();
        foreach (var (name, value) in parameters.Extra)
        {
            result.Fields[name] = ToValue(value);
        }
        if (parameters.Seed is { } seed)
        {
            result.Fields["seed"] = Value.ForNumber(seed);
        }
        return result;
    }

    private static Value ToValue(object value) => value switch
    {
        string text => Value.ForString(text),
        bool flag => Value.ForBool(flag),
        int number => Value.ForNumber(number),
        long number => Value.ForNumber(number),
        double number => Value.ForNumber(number),
        JsonElement json => JsonParser.Default.Parse<Value>(json.GetRawText()),
        _ => Value.ForString(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    private static JsonElement ToJson(Value value)
    {
        using var document = JsonDocument.Parse(JsonFormatter.Default.Format(value));
        return document.RootElement.Clone();
    }
}
