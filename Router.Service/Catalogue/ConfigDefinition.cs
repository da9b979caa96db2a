using System.Collections.Immutable;

namespace Router.Service.Catalogue;

/// <summary>
/// A config: a use case that names a chunk and overrides its parameters, with localized display metadata, an optional
/// prompt context, fallbacks and a timeout. Loaded from <c>configs/{name}.json</c>; names follow
/// <c>{model}</c>, <c>{model}_highquality</c>, <c>{model}_draft</c>, ….
/// </summary>
public sealed record ConfigDefinition
{
    /// <summary>Timeout used when a config sets none: 300 seconds.</summary>
    public const int DefaultTimeoutSeconds = 300;

    /// <summary>Largest timeout a config may set: 3600 seconds.</summary>
    public const int MaxTimeoutSeconds = 3600;

    /// <summary>Required. The config's name, equal to its file name, e.g. <c>gpt-image-1_highquality</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Required. The catalogue file it came from, e.g. <c>configs/gpt-image-1.json</c>.</summary>
    public required string File { get; init; }

    /// <summary>Required. The chunk it uses (resolved).</summary>
    public required ChunkDefinition Chunk { get; init; }

    /// <summary>The config's own overrides of the chunk defaults. Default: none.</summary>
    public ImageParameters Overrides { get; init; } = ImageParameters.None;

    /// <summary>Chunk defaults with <see cref="Overrides"/> applied: what a request with no overrides gets.</summary>
    public ImageParameters Parameters => Chunk.Defaults.With(Overrides);

    /// <summary>Required, with at least <c>en</c>. Display name by language (<c>en</c>, <c>de</c>, …).</summary>
    public required ImmutableDictionary<string, string> DisplayNames { get; init; }

    /// <summary>Description by language. Default: none.</summary>
    public ImmutableDictionary<string, string> Descriptions { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Category, e.g. <c>photo</c>, <c>illustration</c>. Default: <c>general</c>.</summary>
    public string Category { get; init; } = "general";

    /// <summary>Free tags. Default: none.</summary>
    public ImmutableArray<string> Tags { get; init; } = [];

    /// <summary>Prompt context (template or style suffix). Default: <c>null</c> (the prompt is sent as given).</summary>
    public PromptContext? Context { get; init; }

    /// <summary>Configs tried in order when this one's provider fails before any frame. Default: none.</summary>
    public ImmutableArray<string> Fallbacks { get; init; } = [];

    /// <summary>Timeout of one generation, 1-3600 seconds. Default: 300.</summary>
    public int TimeoutSeconds { get; init; } = DefaultTimeoutSeconds;

    /// <summary>Display hints for UIs. Default: no icon/colour, order 100.</summary>
    public ConfigDisplay Display { get; init; } = new();

    /// <summary>Who the config is meant for. Default: everyone.</summary>
    public ConfigAudience Audience { get; init; } = new();

    /// <summary>What the router does with each provider image once it is stored. Default: nothing.</summary>
    public PostProcessing PostProcessing { get; init; } = PostProcessing.None;

    /// <summary>Chunk metadata with the config's overrides applied (e.g. a higher cost for <c>_highquality</c>).</summary>
    public required ChunkMetadata Meta { get; init; }

    /// <summary>Media type, from the chunk.</summary>
    public string MediaType => Chunk.MediaType;

    /// <summary>The display name for a BCP 47 language: exact, then its primary subtag, then English, then <see cref="Name"/>.</summary>
    public string DisplayName(string? language) => Localize(DisplayNames, language) ?? Name;

    /// <summary>The description for a BCP 47 language (same fallbacks), or empty.</summary>
    public string Description(string? language) => Localize(Descriptions, language) ?? "";

    private static string? Localize(ImmutableDictionary<string, string> texts, string? language)
    {
        if (!string.IsNullOrEmpty(language))
        {
            if (texts.TryGetValue(language.ToLowerInvariant(), out var exact))
            {
                return exact;
            }

            var primary = language.Split('-', '_')[0].ToLowerInvariant();
            if (texts.TryGetValue(primary, out var byPrimary))
            {
                return byPrimary;
            }
        }

        return texts.GetValueOrDefault("en");
    }
}

/// <summary>What the router does with each image a provider made, once it is stored.</summary>
/// <param name="GridSplit">Split the image into a grid of tiles, each stored as an image of the run. Null: no split.</param>
public sealed record PostProcessing(GridSplit? GridSplit)
{
    /// <summary>No post-processing.</summary>
    public static PostProcessing None { get; } = new(GridSplit: null);

    /// <summary>Final frames per provider image: the image itself plus its tiles.</summary>
    public int FramesPerImage => 1 + (GridSplit?.Tiles ?? 0);
}

/// <summary>A grid split: <paramref name="Rows"/> × <paramref name="Columns"/> tiles, cut row by row.</summary>
public sealed record GridSplit(int Rows, int Columns)
{
    /// <summary>Largest number of rows or columns (Storage.Service's limit).</summary>
    public const int MaxSide = 16;

    public int Tiles => Rows * Columns;
}

/// <summary>How a config shapes the user's prompt: a template with a <c>{prompt}</c> placeholder, or a style suffix.</summary>
public sealed record PromptContext
{
    /// <summary>The placeholder a template must contain.</summary>
    public const string Placeholder = "{prompt}";

    /// <summary>A template such as <c>"A watercolour of {prompt}, soft light"</c>. Exactly one of template and suffix is set.</summary>
    public string? Template { get; init; }

    /// <summary>A style suffix appended after a comma, e.g. <c>"in the style of a woodcut"</c>.</summary>
    public string? Suffix { get; init; }

    /// <summary>The prompt with the context applied.</summary>
    public string Apply(string prompt) => Template is not null
        ? Template.Replace(Placeholder, prompt, StringComparison.Ordinal)
        : $"{prompt}, {Suffix}";
}

/// <summary>Display hints for UIs.</summary>
public sealed record ConfigDisplay
{
    /// <summary>An icon (emoji or icon name). Default: empty.</summary>
    public string Icon { get; init; } = "";

    /// <summary>A <c>#RRGGBB</c> colour. Default: empty.</summary>
    public string Color { get; init; } = "";

    /// <summary>Sort order in lists, lower first. Default: 100.</summary>
    public int Order { get; init; } = 100;

    /// <summary>Difficulty 1 (easiest) to 5. Default: 1.</summary>
    public int Difficulty { get; init; } = 1;
}

/// <summary>Who a config is meant for.</summary>
public sealed record ConfigAudience
{
    /// <summary>Allowed <see cref="Level"/> values.</summary>
    public static readonly ImmutableArray<string> Levels = ["everyone", "beginner", "advanced", "expert"];

    /// <summary><c>everyone</c>, <c>beginner</c>, <c>advanced</c> or <c>expert</c>. Default: <c>everyone</c>.</summary>
    public string Level { get; init; } = "everyone";

    /// <summary>Minimum age in years, 0-99. Default: 0 (none).</summary>
    public int MinAge { get; init; }

    /// <summary>Whether it suits a workshop (fast, cheap, predictable). Default: true.</summary>
    public bool WorkshopSuitable { get; init; } = true;
}
