namespace Gateway.OpenAI;

/// <summary>An OpenAI images request (generations or edits) as the gateway understood it. Null: not given.</summary>
public sealed record ImageRequest
{
    /// <summary>What to draw. Required.</summary>
    public required string Prompt { get; init; }

    /// <summary>A config name or a provider model (see <see cref="ModelResolver"/>). Null: the router's default.</summary>
    public string? Model { get; init; }

    public int? N { get; init; }
    public string? Size { get; init; }
    public string? Quality { get; init; }
    public string? OutputFormat { get; init; }
    public string? Background { get; init; }
    public int? OutputCompression { get; init; }

    /// <summary>Partial images per image; only used when <see cref="Stream"/>.</summary>
    public int? PartialImages { get; init; }

    /// <summary>Answer with server-sent events. Default false.</summary>
    public bool Stream { get; init; }

    /// <summary><c>b64_json</c> (default) or <c>url</c> (a gateway URL of the stored image, which needs the key too).</summary>
    public bool ReturnUrl { get; init; }

    /// <summary>Provider parameters passed as the router's <c>extra</c> (style, moderation, input_fidelity).</summary>
    public IReadOnlyDictionary<string, string> Extras { get; init; } = new Dictionary<string, string>();

    /// <summary>Input images in order (edits).</summary>
    public IReadOnlyList<InputFile> Images { get; init; } = [];

    /// <summary>The mask for the first image (edits).</summary>
    public InputFile? Mask { get; init; }
}

/// <summary>An uploaded file.</summary>
/// <param name="FileName">The part's file name, possibly empty.</param>
/// <param name="ContentType">The part's content type, possibly empty (the .NET SDK sends none; the router sniffs).</param>
/// <param name="Data">The bytes.</param>
public sealed record InputFile(string FileName, string ContentType, byte[] Data);
