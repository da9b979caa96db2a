using System.Collections.Immutable;
using Pipeline.Contracts.Common.V1;
using Router.Service.Catalogue;

namespace Router.Service.Generation;

/// <summary>A Generate request resolved against the catalogue and validated: everything the run needs.</summary>
public sealed record GenerationPlan
{
    /// <summary>Required. The run id (the caller's, or assigned).</summary>
    public required string RunId { get; init; }

    /// <summary>Required. Whether the caller chose the run id (only then can it name an earlier, completed run).</summary>
    public required bool RunIdSupplied { get; init; }

    /// <summary>Required. The mode the default config was looked up for; empty when the caller named a config.</summary>
    public required string Mode { get; init; }

    /// <summary>Required. The caller's prompt, before the config's context is applied.</summary>
    public required string UserPrompt { get; init; }

    /// <summary>Required. The catalogue snapshot the request was resolved against (fallbacks come from the same one).</summary>
    public required CatalogueSnapshot Catalogue { get; init; }

    /// <summary>Required. The config asked for, with its merged parameters.</summary>
    public required GenerationAttempt Primary { get; init; }

    /// <summary>Required. What the caller asked for, to validate fallback configs against.</summary>
    public required GenerationInput Input { get; init; }

    /// <summary>Input images, resolved to bytes. Default: none.</summary>
    public ImmutableArray<InputImage> InputImages { get; init; } = [];

    /// <summary>The edit mask, resolved to bytes. Default: none.</summary>
    public InputImage? Mask { get; init; }

    /// <summary>Whether Final frames carry the image bytes. Default: false.</summary>
    public bool IncludeImageData { get; init; }

    /// <summary>Required. Who the run is for (its tenant owns it) and the caller's own provider keys (never logged).</summary>
    public required CallContext Call { get; init; }

    /// <summary>Required. What the caller asked for, part by part (<see cref="RequestDigest"/>), kept with the run.</summary>
    public required IReadOnlyDictionary<string, string> RequestDigest { get; init; }

    /// <summary>Required. The configs the run may try in order (<see cref="AttemptPlanner"/>); at least one can be called.</summary>
    public required IReadOnlyList<PlannedAttempt> Attempts { get; init; }

    /// <summary>For a Regenerate: the run this one is made from. Default: none.</summary>
    public string ParentRunId { get; init; } = "";

    /// <summary>The caller's own key for <paramref name="provider"/>, or null to use the fleet's.</summary>
    public string? ProviderKeyFor(string provider) => Call.ProviderKeys.GetValueOrDefault(provider);
}

/// <summary>One provider call a run may make: a config with the request's parameters merged in and its prompt.</summary>
/// <param name="Config">The config.</param>
/// <param name="Parameters">Chunk defaults ← config overrides ← request overrides.</param>
/// <param name="Prompt">The prompt with the config's context applied.</param>
public sealed record GenerationAttempt(ConfigDefinition Config, ImageParameters Parameters, string Prompt)
{
    /// <summary>How many images the provider makes for the attempt.</summary>
    public int ImageCount => Parameters.N ?? 1;

    /// <summary>How many Final frames the attempt sends: each image, plus its tiles when the config splits grids.</summary>
    public int FrameCount => ImageCount * Config.PostProcessing.FramesPerImage;

    /// <summary>The provider the attempt calls, e.g. <c>openai</c>, <c>stability</c>, <c>comfyui</c> (<see cref="ChunkDefinition.Provider"/>).</summary>
    public string Provider => Config.Chunk.Provider;

    /// <summary>The provider model.</summary>
    public string Model => Config.Chunk.Model;
}
