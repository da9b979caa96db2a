using System.Collections.Immutable;
using System.Text.Json;

namespace Router.Service.Catalogue;

/// <summary>
/// Generation parameters, one layer of them: a chunk's defaults, a config's overrides, a request's overrides, or the
/// effective (merged) result. Every field is optional; <c>null</c> means "not set in this layer" (the layer below wins).
/// Names and values are the provider's (OpenAI Images API), e.g. <c>output_format</c> = <c>png</c>.
/// </summary>
public sealed record ImageParameters
{
    /// <summary>An empty layer.</summary>
    public static readonly ImageParameters None = new();

    /// <summary><c>WIDTHxHEIGHT</c> or <c>auto</c>. Not set: provider default.</summary>
    public string? Size { get; init; }

    /// <summary>Provider quality value (<c>low|medium|high|auto</c>, <c>standard|hd</c>). Not set: provider default.</summary>
    public string? Quality { get; init; }

    /// <summary>Number of images (1 to the chunk's <c>max_n</c>). Not set: 1.</summary>
    public int? N { get; init; }

    /// <summary><c>png|jpeg|webp</c>. Not set: png.</summary>
    public string? OutputFormat { get; init; }

    /// <summary><c>transparent|opaque|auto</c>. Not set: provider default.</summary>
    public string? Background { get; init; }

    /// <summary>Partial images streamed per image, 0 to the chunk's <c>max_partial_images</c>. Not set: 0.</summary>
    public int? PartialImages { get; init; }

    /// <summary>0-100, jpeg and webp only. Not set: provider default (100).</summary>
    public int? OutputCompression { get; init; }

    /// <summary>Seed, where the chunk allows one (<c>rules.seed</c>). Not set: random.</summary>
    public long? Seed { get; init; }

    /// <summary>Provider-specific parameters the chunk allows (<c>rules.extras</c>), e.g. <c>aspect_ratio</c>. Default: empty.</summary>
    public ImmutableDictionary<string, JsonElement> Extra { get; init; } = ImmutableDictionary<string, JsonElement>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>This layer with every field that <paramref name="overrides"/> sets replaced (extras merged key by key).</summary>
    public ImageParameters With(ImageParameters overrides) => new()
    {
        Size = overrides.Size ?? Size,
        Quality = overrides.Quality ?? Quality,
        N = overrides.N ?? N,
        OutputFormat = overrides.OutputFormat ?? OutputFormat,
        Background = overrides.Background ?? Background,
        PartialImages = overrides.PartialImages ?? PartialImages,
        OutputCompression = overrides.OutputCompression ?? OutputCompression,
        Seed = overrides.Seed ?? Seed,
        Extra = Extra.SetItems(overrides.Extra),
    };

    /// <summary>The set fields as JSON-style name/value pairs (snake_case names, extras inline), e.g. for <c>ConfigInfo.parameters</c>.</summary>
    public IReadOnlyDictionary<string, object> ToDictionary()
    {
        var result = new SortedDictionary<string, object>(StringComparer.Ordinal);
        AddIfSet(result, "size", Size);
        AddIfSet(result, "quality", Quality);
        AddIfSet(result, "n", N);
        AddIfSet(result, "output_format", OutputFormat);
        AddIfSet(result, "background", Background);
        AddIfSet(result, "partial_images", PartialImages);
        AddIfSet(result, "output_compression", OutputCompression);
        AddIfSet(result, "seed", Seed);
        foreach (var (name, value) in Extra)
        {
            result[name] = value;
        }

        return result;
    }

    private static void AddIfSet(SortedDictionary<string, object> target, string name, object? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
    }
}
