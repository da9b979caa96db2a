using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Router.Service.Catalogue.Files;

namespace Router.Service.Catalogue;

/// <summary>Turns a config file into a <see cref="ConfigDefinition"/>, reporting every problem it finds.</summary>
internal static partial class ConfigBuilder
{
    /// <summary>The config, or <c>null</c> when it has errors or its chunk is broken.</summary>
    public static ConfigDefinition? Build(
        string file, string expectedName, ConfigFile config,
        IReadOnlyDictionary<string, ChunkDefinition> chunks, IReadOnlySet<string> brokenChunks, CatalogueErrors errors)
    {
        var before = errors.Count;
        errors.CheckName(file, config.Name, expectedName);

        ChunkDefinition? chunk = null;
        if (string.IsNullOrWhiteSpace(config.Chunk))
        {
            errors.Add(file, "chunk", "chunk is required; name a file in chunks/, e.g. \"chunk\": \"output_image_gpt-image-1\"");
        }
        else if (!chunks.TryGetValue(config.Chunk, out chunk) && !brokenChunks.Contains(config.Chunk))
        {
            errors.Add(file, "chunk", $"chunk = '{config.Chunk}' does not exist; add chunks/{config.Chunk}.json or use one of: {string.Join(", ", chunks.Keys.Order(StringComparer.Ordinal))}");
        }

        var displayNames = Texts(file, "display_name", config.DisplayName, errors);
        if (config.DisplayName is null || !config.DisplayName.ContainsKey("en"))
        {
            errors.Add(file, "display_name.en", $"display_name.en is required; add \"display_name\": {{ \"en\": \"…\", \"de\": \"…\" }}");
        }

        var descriptions = Texts(file, "description", config.Description, errors);
        var overrides = ParametersMapper.Map(config.Parameters);
        if (chunk is not null)
        {
            foreach (var violation in ParameterChecker.Check(chunk, overrides, chunk.Defaults.With(overrides), "parameters"))
            {
                errors.Add(file, violation.Field, violation.Description);
            }
        }

        var context = BuildContext(file, config.Context, errors);
        var fallbacks = config.Fallbacks ?? [];
        foreach (var duplicate in fallbacks.GroupBy(f => f, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add(file, "fallbacks", $"fallbacks lists '{duplicate.Key}' {duplicate.Count()} times; list each config once");
        }

        if (fallbacks.Contains(expectedName))
        {
            errors.Add(file, "fallbacks", $"fallbacks contains the config itself ('{expectedName}'); remove it");
        }

        if (config.TimeoutSeconds is { } timeout && (timeout < 1 || timeout > ConfigDefinition.MaxTimeoutSeconds))
        {
            errors.Add(file, "timeout_seconds", $"timeout_seconds = {timeout} is out of range; allowed: 1-{ConfigDefinition.MaxTimeoutSeconds} seconds (image models often need 60-600)");
        }

        var postProcessing = BuildPostProcessing(file, config.PostProcessing, errors);
        var display = BuildDisplay(file, config.Display, errors);
        var audience = BuildAudience(file, config.Audience, errors);
        var meta = MetaBuilder.Build(file, config.Meta, chunk?.Meta ?? new ChunkMetadata(), errors);
        foreach (var tag in (config.Tags ?? []).Where(string.IsNullOrWhiteSpace))
        {
            errors.Add(file, "tags", "tags contains an empty tag; remove it");
        }

        if (errors.Count > before || chunk is null)
        {
            return null;
        }

        return new ConfigDefinition
        {
            Name = expectedName,
            File = file,
            Chunk = chunk,
            Overrides = overrides,
            DisplayNames = displayNames,
            Descriptions = descriptions,
            Category = string.IsNullOrWhiteSpace(config.Category) ? "general" : config.Category,
            Tags = [.. config.Tags ?? []],
            Context = context,
            Fallbacks = [.. fallbacks],
            TimeoutSeconds = config.TimeoutSeconds ?? ConfigDefinition.DefaultTimeoutSeconds,
            Display = display,
            Audience = audience,
            Meta = meta,
            PostProcessing = postProcessing,
        };
    }

    private static PostProcessing BuildPostProcessing(string file, PostProcessingFile? postProcessing, CatalogueErrors errors)
    {
        if (postProcessing?.GridSplit is not { } grid)
        {
            return PostProcessing.None;
        }
        if (grid.Rows is null || grid.Cols is null)
        {
            errors.Add(file, "post_processing.grid_split", "post_processing.grid_split needs rows and cols, e.g. { \"rows\": 2, \"cols\": 2 }");
            return PostProcessing.None;
        }
        RulesBuilder.CheckRange(file, "post_processing.grid_split.rows", grid.Rows, 1, GridSplit.MaxSide, errors);
        RulesBuilder.CheckRange(file, "post_processing.grid_split.cols", grid.Cols, 1, GridSplit.MaxSide, errors);
        if (grid.Rows * grid.Cols < 2)
        {
            errors.Add(file, "post_processing.grid_split", "post_processing.grid_split of 1x1 splits nothing; use at least two tiles or remove it");
        }
        return new PostProcessing(new GridSplit(grid.Rows.Value, grid.Cols.Value));
    }

    private static ImmutableDictionary<string, string> Texts(string file, string field, Dictionary<string, string>? texts, CatalogueErrors errors)
    {
        foreach (var (language, text) in texts ?? [])
        {
            if (!LanguagePattern().IsMatch(language))
            {
                errors.Add(file, $"{field}.{language}", $"{field}.{language}: '{language}' is not a lower-case BCP 47 language such as \"en\", \"de\" or \"pt-br\"");
            }
            else if (string.IsNullOrWhiteSpace(text))
            {
                errors.Add(file, $"{field}.{language}", $"{field}.{language} is empty; write the text or remove the language");
            }
        }

        return (texts ?? []).ToImmutableDictionary(StringComparer.Ordinal);
    }

    private static PromptContext? BuildContext(string file, ContextFile? context, CatalogueErrors errors)
    {
        if (context is null)
        {
            return null;
        }

        if ((context.Template is null) == (context.Suffix is null))
        {
            errors.Add(file, "context", "context must set exactly one of \"template\" (with {prompt}) and \"suffix\"");
            return null;
        }

        if (context.Template is { } template && !template.Contains(PromptContext.Placeholder, StringComparison.Ordinal))
        {
            errors.Add(file, "context.template", "context.template must contain the placeholder {prompt}, e.g. \"A watercolour of {prompt}\"");
        }

        if (context.Suffix is { } suffix && string.IsNullOrWhiteSpace(suffix))
        {
            errors.Add(file, "context.suffix", "context.suffix is empty; write the style text or remove context");
        }

        return new PromptContext { Template = context.Template, Suffix = context.Suffix };
    }

    private static ConfigDisplay BuildDisplay(string file, DisplayFile? display, CatalogueErrors errors)
    {
        if (display is null)
        {
            return new ConfigDisplay();
        }

        if (display.Color is { Length: > 0 } color && !ColorPattern().IsMatch(color))
        {
            errors.Add(file, "display.color", $"display.color = '{color}' is not a colour; use #RRGGBB, e.g. \"#4A90E2\"");
        }

        RulesBuilder.CheckRange(file, "display.difficulty", display.Difficulty, 1, 5, errors);
        var defaults = new ConfigDisplay();
        return new ConfigDisplay
        {
            Icon = display.Icon ?? defaults.Icon,
            Color = display.Color ?? defaults.Color,
            Order = display.Order ?? defaults.Order,
            Difficulty = display.Difficulty ?? defaults.Difficulty,
        };
    }

    private static ConfigAudience BuildAudience(string file, AudienceFile? audience, CatalogueErrors errors)
    {
        if (audience is null)
        {
            return new ConfigAudience();
        }

        if (audience.Level is { } level && !ConfigAudience.Levels.Contains(level))
        {
            errors.Add(file, "audience.level", $"audience.level = '{level}' is unknown; allowed: {string.Join(", ", ConfigAudience.Levels)}");
        }

        RulesBuilder.CheckRange(file, "audience.min_age", audience.MinAge, 0, 99, errors);
        var defaults = new ConfigAudience();
        return new ConfigAudience
        {
            Level = audience.Level ?? defaults.Level,
            MinAge = audience.MinAge ?? defaults.MinAge,
            WorkshopSuitable = audience.WorkshopSuitable ?? defaults.WorkshopSuitable,
        };
    }

    [GeneratedRegex("^[a-z]{2,3}(-[a-z0-9]{2,8})*$")]
    private static partial Regex LanguagePattern();

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    private static partial Regex ColorPattern();
}
