namespace Router.Service.Catalogue.Files;

/// <summary><c>configs/{name}.json</c> as written. Required: name, chunk, display_name.en.</summary>
internal sealed record ConfigFile
{
    public string? Name { get; init; }
    public string? Chunk { get; init; }
    public Dictionary<string, string>? DisplayName { get; init; }
    public Dictionary<string, string>? Description { get; init; }
    public string? Category { get; init; }
    public List<string>? Tags { get; init; }
    public ParametersFile? Parameters { get; init; }
    public ContextFile? Context { get; init; }
    public List<string>? Fallbacks { get; init; }
    public int? TimeoutSeconds { get; init; }
    public DisplayFile? Display { get; init; }
    public AudienceFile? Audience { get; init; }
    public MetaFile? Meta { get; init; }
    public PostProcessingFile? PostProcessing { get; init; }
}

/// <summary><c>post_processing</c> of a config: what the router does with each provider image once it is stored.</summary>
internal sealed record PostProcessingFile
{
    public GridSplitFile? GridSplit { get; init; }
}

/// <summary><c>post_processing.grid_split</c>: rows and cols, 1-16 each, at least two tiles.</summary>
internal sealed record GridSplitFile
{
    public int? Rows { get; init; }
    public int? Cols { get; init; }
}

/// <summary><c>context</c>: exactly one of template (with <c>{prompt}</c>) and suffix.</summary>
internal sealed record ContextFile
{
    public string? Template { get; init; }
    public string? Suffix { get; init; }
}

/// <summary><c>display</c> of a config.</summary>
internal sealed record DisplayFile
{
    public string? Icon { get; init; }
    public string? Color { get; init; }
    public int? Order { get; init; }
    public int? Difficulty { get; init; }
}

/// <summary><c>audience</c> of a config.</summary>
internal sealed record AudienceFile
{
    public string? Level { get; init; }
    public int? MinAge { get; init; }
    public bool? WorkshopSuitable { get; init; }
}
