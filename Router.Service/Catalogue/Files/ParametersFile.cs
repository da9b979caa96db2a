using System.Text.Json;

namespace Router.Service.Catalogue.Files;

/// <summary>
/// A parameter layer as written: a chunk's <c>defaults</c> or a config's <c>parameters</c>. Every field optional.
/// Provider-specific parameters go in <c>extra</c> or, as the seed writes them, inline (<c>"steps": 50</c>).
/// </summary>
internal sealed record ParametersFile
{
    public string? Size { get; init; }
    public string? Quality { get; init; }
    public int? N { get; init; }
    public string? OutputFormat { get; init; }
    public string? Background { get; init; }
    public int? PartialImages { get; init; }
    public int? OutputCompression { get; init; }
    public long? Seed { get; init; }
    public Dictionary<string, JsonElement>? Extra { get; init; }

    /// <summary>Every other field: provider-specific parameters written inline.</summary>
    [System.Text.Json.Serialization.JsonExtensionData]
    public Dictionary<string, JsonElement>? Inline { get; init; }
}
