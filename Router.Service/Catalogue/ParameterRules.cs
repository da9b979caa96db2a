using System.Collections.Immutable;

namespace Router.Service.Catalogue;

/// <summary>
/// What a chunk's model accepts. A parameter whose allowed list is empty (and, for sizes, has no
/// <see cref="CustomSize"/>) is not supported by the model: any value for it is rejected.
/// </summary>
public sealed record ParameterRules
{
    /// <summary>Fixed allowed sizes, <c>auto</c> included where allowed. Default: none.</summary>
    public ImmutableArray<string> Sizes { get; init; } = [];

    /// <summary>Free <c>WxH</c> sizes (gpt-image-2: multiples of 16). Default: <c>null</c> (only <see cref="Sizes"/>).</summary>
    public CustomSizeRule? CustomSize { get; init; }

    /// <summary>Allowed <c>quality</c> values. Default: none (not supported).</summary>
    public ImmutableArray<string> Qualities { get; init; } = [];

    /// <summary>Allowed <c>output_format</c> values. Default: none (not supported).</summary>
    public ImmutableArray<string> OutputFormats { get; init; } = [];

    /// <summary>Allowed <c>background</c> values. Default: none (not supported).</summary>
    public ImmutableArray<string> Backgrounds { get; init; } = [];

    /// <summary>Largest <c>n</c>, 1-10. Default: 1.</summary>
    public int MaxN { get; init; } = 1;

    /// <summary>Largest <c>partial_images</c>, 0-3; 0 = no streaming of partials. Default: 0.</summary>
    public int MaxPartialImages { get; init; }

    /// <summary>Allowed <c>output_compression</c> range (jpeg/webp only). Default: <c>null</c> (not supported).</summary>
    public IntRange? OutputCompression { get; init; }

    /// <summary>Whether a <c>seed</c> is accepted. Default: false.</summary>
    public bool Seed { get; init; }

    /// <summary>Longest prompt in characters (after the config's context is applied). Default: 32000.</summary>
    public int MaxPromptLength { get; init; } = 32000;

    /// <summary>How many input images a request must/may carry. Default: 0-0 (none).</summary>
    public IntRange InputImages { get; init; } = new(0, 0);

    /// <summary>Whether an edit mask is accepted. Default: false.</summary>
    public bool Mask { get; init; }

    /// <summary>The provider-specific parameters accepted in <c>extra</c>, by name. Default: none.</summary>
    public ImmutableDictionary<string, ExtraRule> Extras { get; init; } = ImmutableDictionary<string, ExtraRule>.Empty;
}

/// <summary>An inclusive integer range.</summary>
/// <param name="Min">Smallest allowed value.</param>
/// <param name="Max">Largest allowed value.</param>
public sealed record IntRange(int Min, int Max)
{
    /// <summary>Whether <paramref name="value"/> lies in the range.</summary>
    public bool Contains(long value) => value >= Min && value <= Max;

    /// <inheritdoc />
    public override string ToString() => $"{Min}-{Max}";
}

/// <summary>Free sizes: any <c>WIDTHxHEIGHT</c> whose edges are multiples of <see cref="MultipleOf"/> within the edge bounds.</summary>
public sealed record CustomSizeRule
{
    /// <summary>Both edges must be multiples of this. Required, at least 1.</summary>
    public required int MultipleOf { get; init; }

    /// <summary>Shortest allowed edge in pixels. Default: <see cref="MultipleOf"/>.</summary>
    public int MinEdge { get; init; }

    /// <summary>Longest allowed edge in pixels. Default: 4096.</summary>
    public int MaxEdge { get; init; } = 4096;

    /// <inheritdoc />
    public override string ToString() => $"any WIDTHxHEIGHT with edges {MinEdge}-{MaxEdge} px in multiples of {MultipleOf}";
}

/// <summary>The JSON type of an extra parameter.</summary>
public enum ExtraValueKind
{
    /// <summary>A JSON string.</summary>
    String,

    /// <summary>A JSON integer.</summary>
    Integer,

    /// <summary>A JSON number.</summary>
    Number,

    /// <summary>A JSON <c>true</c>/<c>false</c>.</summary>
    Boolean,
}

/// <summary>The rule for one provider-specific parameter in <c>extra</c>.</summary>
public sealed record ExtraRule
{
    /// <summary>The value's JSON type. Default: string.</summary>
    public ExtraValueKind Type { get; init; } = ExtraValueKind.String;

    /// <summary>Allowed string values. Default: none (any string).</summary>
    public ImmutableArray<string> Values { get; init; } = [];

    /// <summary>Smallest number allowed (integer/number). Default: no bound.</summary>
    public double? Min { get; init; }

    /// <summary>Largest number allowed (integer/number). Default: no bound.</summary>
    public double? Max { get; init; }
}
