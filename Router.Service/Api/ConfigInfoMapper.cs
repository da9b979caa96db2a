using Pipeline.Contracts.ImageGen.V1;
using Contract = Pipeline.Contracts.ImageGen.V1;
using Router.Service.Catalogue;
using Router.Service.Generation;

namespace Router.Service.Api;

/// <summary>Turns the catalogue's configs into the public <c>ConfigInfo</c> messages.</summary>
internal static class ConfigInfoMapper
{
    public static ListConfigsResponse ToResponse(CatalogueSnapshot catalogue, string? language, string? mediaType, Func<ConfigDefinition, long?>? estimate = null)
    {
        var response = new ListConfigsResponse();
        foreach (var config in catalogue.Configs.Values)
        {
            if (string.IsNullOrEmpty(mediaType) || config.MediaType == mediaType)
            {
                var info = ToConfigInfo(config, language);
                if (estimate?.Invoke(config) is { } micros)
                {
                    info.EstimatedCostUsdMicros = micros;
                }
                response.Configs.Add(info);
            }
        }
        foreach (var (media, modes) in catalogue.Defaults)
        {
            if (string.IsNullOrEmpty(mediaType) || media == mediaType)
            {
                var defaults = new ModeDefaults();
                defaults.Modes.Add(modes);
                response.Defaults[media] = defaults;
            }
        }
        return response;
    }

    public static ConfigInfo ToConfigInfo(ConfigDefinition config, string? language)
    {
        var info = new ConfigInfo
        {
            Name = config.Name,
            DisplayName = config.DisplayName(language),
            Description = config.Description(language),
            Category = config.Category,
            MediaType = config.MediaType,
            Chunk = config.Chunk.Name,
            Provider = config.Chunk.Provider,
            Model = config.Chunk.Model,
            Operation = config.Chunk.Operation.Name(),
            Parameters = ParameterMapping.ToStruct(config.Parameters.ToDictionary()),
            TimeoutSeconds = config.TimeoutSeconds,
            EstimatedDuration = config.Meta.EstimatedDurationSeconds,
            EstimatedCostUsdMicros = config.Meta.CostPerImageUsdMicros,
            Audience = config.Audience.Level,
        };
        info.Tags.Add(config.Tags);
        info.Names.Add(config.DisplayNames);
        info.Descriptions.Add(config.Descriptions);
        info.Fallbacks.Add(config.Fallbacks);
        info.Rules = ToRules(config.Chunk.Rules);
        info.Display = new Contract.ConfigDisplay
        {
            Icon = config.Display.Icon,
            Color = config.Display.Color,
            Order = config.Display.Order,
            Complexity = config.Display.Difficulty,
        };
        info.AudienceDetails = new Contract.ConfigAudience
        {
            Level = config.Audience.Level,
            MinAge = config.Audience.MinAge,
            WorkshopSuitable = config.Audience.WorkshopSuitable,
        };
        if (config.PostProcessing.GridSplit is { } grid)
        {
            (info.GridRows, info.GridColumns) = (grid.Rows, grid.Columns);
        }
        return info;
    }

    /// <summary>The chunk's rules as a form needs them: every allowed value and range.</summary>
    private static Contract.ConfigRules ToRules(ParameterRules rules)
    {
        var result = new Contract.ConfigRules
        {
            Sizes = { rules.Sizes },
            FlexibleSizes = rules.CustomSize?.ToString() ?? "",
            Qualities = { rules.Qualities },
            OutputFormats = { rules.OutputFormats },
            Backgrounds = { rules.Backgrounds },
            MinN = 1,
            MaxN = rules.MaxN,
            MinPartialImages = 0,
            MaxPartialImages = rules.MaxPartialImages,
            HasOutputCompression = rules.OutputCompression is not null,
            MinOutputCompression = rules.OutputCompression?.Min ?? 0,
            MaxOutputCompression = rules.OutputCompression?.Max ?? 0,
            MinInputImages = rules.InputImages.Min,
            MaxInputImages = rules.InputImages.Max,
            Mask = rules.Mask,
            MaxPromptLength = rules.MaxPromptLength,
        };
        foreach (var (name, extra) in rules.Extras)
        {
            result.Extras[name] = new Contract.ExtraRule { Type = extra.Type.ToString().ToLowerInvariant(), Values = { extra.Values } };
        }
        return result;
    }
}
