using Pipeline.Contracts.ImageGen.V1;
using Router.Service.Catalogue;
using Router.Service.Generation;

namespace Router.Service.Api;

/// <summary>Turns the catalogue's configs into the public <c>ConfigInfo</c> messages.</summary>
internal static class ConfigInfoMapper
{
    public static ListConfigsResponse ToResponse(CatalogueSnapshot catalogue, string? language, string? mediaType)
    {
        var response = new ListConfigsResponse();
        foreach (var config in catalogue.Configs.Values)
        {
            if (string.IsNullOrEmpty(mediaType) || config.MediaType == mediaType)
            {
                response.Configs.Add(ToConfigInfo(config, language));
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
            Provider = config.Chunk.Adapter.Name(),
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
        return info;
    }
}
