using System.Collections.Immutable;
using Pipeline.Contracts.Provider.V1;

namespace Router.Service.Catalogue;

/// <summary>
/// A chunk: a primitive that says which adapter, operation and model to call, with default parameters, the rules
/// the model imposes, how its output is read and metadata. Loaded from <c>chunks/{name}.json</c>.
/// </summary>
public sealed record ChunkDefinition
{
    /// <summary>Required. The chunk's name, equal to its file name, e.g. <c>output_image_gpt-image-1</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Required. The catalogue file it came from, relative to the catalogue root, e.g. <c>chunks/x.json</c>.</summary>
    public required string File { get; init; }

    /// <summary>Media type it produces. Default: <c>image</c>.</summary>
    public string MediaType { get; init; } = "image";

    /// <summary>Required. The adapter that serves it.</summary>
    public required AdapterKind Adapter { get; init; }

    /// <summary>Required. The provider API it calls; must be one the adapter serves.</summary>
    public required ChunkOperation Operation { get; init; }

    /// <summary>Required. Provider model id, e.g. <c>gpt-image-1</c>, <c>google/gemini-2.5-flash-image</c>.</summary>
    public required string Model { get; init; }

    /// <summary>Free description for maintainers. Default: empty.</summary>
    public string Description { get; init; } = "";

    /// <summary>Default parameters (they must satisfy <see cref="Rules"/>). Default: none set.</summary>
    public ImageParameters Defaults { get; init; } = ImageParameters.None;

    /// <summary>Required. What the model accepts.</summary>
    public required ParameterRules Rules { get; init; }

    /// <summary>Required. How the provider output is read.</summary>
    public required OutputMapping OutputMapping { get; init; }

    /// <summary>Metadata (duration, cost, notes). Default: all unknown.</summary>
    public ChunkMetadata Meta { get; init; } = new();

    /// <summary>
    /// Required. The provider the chunk calls: the adapter's name for a typed chunk (<c>openai</c>), <c>api_config.provider</c>
    /// for an <c>api_output_chunk</c> (<c>stability</c>), <c>comfyui</c> for a workflow. Runs, spans and caller keys
    /// (<c>x-provider-key-{provider}</c>) name it.
    /// </summary>
    public required string Provider { get; init; }

    /// <summary>
    /// For a chunk an adapter executes as written (<c>api_output_chunk</c>, <c>output_chunk</c>): what goes into every
    /// <c>ProviderRequest.chunk</c> (clone it before changing it). Null for a typed chunk.
    /// </summary>
    public ChunkCall? Call { get; init; }

    /// <summary>The secrets an <c>api_output_chunk</c>'s template names (<c>{{STABILITY_API_KEY}}</c>). Default: none.</summary>
    public ImmutableArray<string> Secrets { get; init; } = [];

    /// <summary>Whether a call needs a provider key: a typed chunk always, an executed chunk when its template names a secret.</summary>
    public bool NeedsProviderKey => Call is null || !Secrets.IsEmpty;

    /// <summary>Whether a local backend serves it (ComfyUI): free, and no key.</summary>
    public bool Local => Call?.Local ?? false;
}

/// <summary>How a provider's output is read, declaratively (the adapter implements each type).</summary>
public sealed record OutputMapping
{
    /// <summary>Required. The mapping type; must match the chunk's operation.</summary>
    public required OutputMappingType Type { get; init; }

    /// <summary>Where the image is found, for readers, e.g. <c>data[].b64_json</c>. Default: empty.</summary>
    public string ExtractPath { get; init; } = "";
}

/// <summary>Facts about a chunk (or a config's overrides of them).</summary>
public sealed record ChunkMetadata
{
    /// <summary>Estimated duration in seconds, a number or a range, e.g. <c>5-15</c>. Default: empty (unknown).</summary>
    public string EstimatedDurationSeconds { get; init; } = "";

    /// <summary>Estimated cost per image in millionths of a US dollar (JSON: <c>cost_per_image_usd</c> in dollars). Default: 0 (unknown).</summary>
    public long CostPerImageUsdMicros { get; init; }

    /// <summary>The provider's own model id behind an alias (e.g. OpenRouter's upstream id). Default: empty.</summary>
    public string ProviderModelId { get; init; } = "";

    /// <summary>Free notes. Default: empty.</summary>
    public string Notes { get; init; } = "";

    /// <summary>Feature keywords. Default: none.</summary>
    public ImmutableArray<string> Features { get; init; } = [];

    /// <summary>Whether the backend needs a GPU (a local ComfyUI workflow). Default: false.</summary>
    public bool RequiresGpu { get; init; }
}
