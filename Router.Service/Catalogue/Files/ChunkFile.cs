using System.Text.Json;

namespace Router.Service.Catalogue.Files;

/// <summary>
/// <c>chunks/{name}.json</c> as written. A typed chunk (no <c>type</c>) requires name, adapter, operation, model, rules and
/// output_mapping; an <c>api_output_chunk</c> requires api_config and output_mapping; an <c>output_chunk</c> requires
/// backend_type <c>comfyui</c>, workflow, input_mappings and output_mapping.
/// </summary>
internal sealed record ChunkFile
{
    public string? Name { get; init; }
    public string? Type { get; init; }
    public string? BackendType { get; init; }
    public string? MediaType { get; init; }
    public string? Adapter { get; init; }
    public string? Operation { get; init; }
    public string? Model { get; init; }
    public string? Description { get; init; }
    public ParametersFile? Defaults { get; init; }
    public RulesFile? Rules { get; init; }
    public OutputMappingFile? OutputMapping { get; init; }
    public MetaFile? Meta { get; init; }
    public JsonElement? ApiConfig { get; init; }
    public JsonElement? Workflow { get; init; }
    public Dictionary<string, InputMappingFile>? InputMappings { get; init; }
}

/// <summary><c>input_mappings.{parameter}</c>: where a parameter goes in the call, its default and allowed values.</summary>
internal sealed record InputMappingFile
{
    public string? Field { get; init; }
    public string? Source { get; init; }
    public string? Type { get; init; }
    public JsonElement? Default { get; init; }
    public List<JsonElement>? AllowedValues { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    public string? Description { get; init; }
}

/// <summary><c>rules</c> of a chunk. A missing list means "parameter not supported".</summary>
internal sealed record RulesFile
{
    public List<string>? Sizes { get; init; }
    public CustomSizeFile? CustomSize { get; init; }
    public List<string>? Qualities { get; init; }
    public List<string>? OutputFormats { get; init; }
    public List<string>? Backgrounds { get; init; }
    public int? MaxN { get; init; }
    public int? MaxPartialImages { get; init; }
    public RangeFile? OutputCompression { get; init; }
    public bool? Seed { get; init; }
    public int? MaxPromptLength { get; init; }
    public RangeFile? InputImages { get; init; }
    public bool? Mask { get; init; }
    public Dictionary<string, ExtraRuleFile>? Extras { get; init; }
}

/// <summary><c>rules.custom_size</c>: free <c>WxH</c> sizes.</summary>
internal sealed record CustomSizeFile
{
    public int? MultipleOf { get; init; }
    public int? MinEdge { get; init; }
    public int? MaxEdge { get; init; }
}

/// <summary>An inclusive <c>{ "min": …, "max": … }</c> range.</summary>
internal sealed record RangeFile
{
    public int? Min { get; init; }
    public int? Max { get; init; }
}

/// <summary><c>rules.extras.{name}</c>.</summary>
internal sealed record ExtraRuleFile
{
    public string? Type { get; init; }
    public List<string>? Values { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
}

/// <summary><c>output_mapping</c> of a chunk.</summary>
internal sealed record OutputMappingFile
{
    public string? Type { get; init; }
    public string? ExtractPath { get; init; }
    public string? Format { get; init; }
    public string? ExtractLogic { get; init; }
    public string? Node { get; init; }
    public string? Description { get; init; }
}

/// <summary><c>meta</c> of a chunk, or a config's overrides of it.</summary>
internal sealed record MetaFile
{
    public JsonElement? EstimatedDurationSeconds { get; init; }
    public decimal? CostPerImageUsd { get; init; }
    public string? ProviderModelId { get; init; }
    public string? Notes { get; init; }
    public List<string>? Features { get; init; }
    public bool? RequiresGpu { get; init; }
}
