using System.Collections.Immutable;

namespace Router.Service.Catalogue;

/// <summary>One parameter a request (or a catalogue file) got wrong.</summary>
/// <param name="Field">The field path, e.g. <c>parameters.size</c>, <c>parameters.extra.aspect_ratio</c>, <c>prompt</c>.</param>
/// <param name="Description">What is wrong, naming the allowed values; starts with the field.</param>
public sealed record ParameterViolation(string Field, string Description)
{
    /// <inheritdoc />
    public override string ToString() => Description;
}

/// <summary>What a request asks for on top of its config. Independent of the wire format.</summary>
public sealed record GenerationInput
{
    /// <summary>The user's prompt. <c>null</c>: not checked (only parameters are).</summary>
    public string? Prompt { get; init; }

    /// <summary>The request's parameter overrides. Default: none.</summary>
    public ImageParameters Parameters { get; init; } = ImageParameters.None;

    /// <summary>How many input images the request carries. Default: 0.</summary>
    public int InputImageCount { get; init; }

    /// <summary>Whether the request carries an edit mask. Default: false.</summary>
    public bool HasMask { get; init; }
}

/// <summary>The outcome of validating a request against its config: the merged parameters, or every violation.</summary>
public sealed record RequestValidationResult
{
    /// <summary>Effective parameters (chunk defaults ← config overrides ← request); <c>null</c> when invalid.</summary>
    public ImageParameters? Parameters { get; init; }

    /// <summary>The prompt with the config's context applied; <c>null</c> when invalid or no prompt was given.</summary>
    public string? Prompt { get; init; }

    /// <summary>Every violation found. Empty when valid.</summary>
    public ImmutableArray<ParameterViolation> Violations { get; init; } = [];

    /// <summary>Whether the request may be sent.</summary>
    public bool IsValid => Violations.IsEmpty;
}
