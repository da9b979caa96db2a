namespace Pipeline.Cli.Generation;

/// <summary>What a generate, edit or regenerate produced: the <c>--json</c> output, and the summary's source.</summary>
internal sealed class GenerationOutcome
{
    public string RunId { get; set; } = "";
    public string? ParentRunId { get; set; }
    public string Config { get; set; } = "";
    public string Provider { get; set; } = "";
    public string Model { get; set; } = "";
    public bool Replayed { get; set; }

    /// <summary>One line per Fallback frame, e.g. "served by b (a failed: UNAVAILABLE …)".</summary>
    public List<string> Fallbacks { get; } = [];

    /// <summary>The stored images, in the order their Final frames came.</summary>
    public List<ImageOutcome> Images { get; } = [];

    /// <summary>Every file written (partials and finals), in order.</summary>
    public List<string> Files { get; } = [];
}

/// <summary>One final image.</summary>
internal sealed record ImageOutcome(
    int Index,
    string ImageId,
    string MimeType,
    int Width,
    int Height,
    string FinishReason,
    string? FinishDetail,
    decimal CostUsd,
    bool CostKnown,
    string? Kind,
    string? SourceImageId,
    int? GridRow,
    int? GridColumn,
    string UrlPath,
    string Sha256,
    string? File,
    IReadOnlyList<string> Partials);
