using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using Router.Service.Catalogue.Files;

namespace Router.Service.Catalogue;

/// <summary>Turns <c>meta</c> into <see cref="ChunkMetadata"/> on top of a base (the chunk's, for a config).</summary>
internal static partial class MetaBuilder
{
    public static ChunkMetadata Build(string file, MetaFile? meta, ChunkMetadata baseMeta, CatalogueErrors errors)
    {
        if (meta is null)
        {
            return baseMeta;
        }

        var duration = baseMeta.EstimatedDurationSeconds;
        if (meta.EstimatedDurationSeconds is { } element)
        {
            duration = element.ValueKind switch
            {
                JsonValueKind.Number => element.GetRawText(),
                JsonValueKind.String => element.GetString()!,
                _ => "",
            };
            if (!DurationPattern().IsMatch(duration))
            {
                errors.Add(file, "meta.estimated_duration_seconds", $"meta.estimated_duration_seconds = {element.GetRawText()} is not a duration; use seconds or a range such as \"5-15\"");
            }
        }

        var cost = baseMeta.CostPerImageUsdMicros;
        if (meta.CostPerImageUsd is { } dollars)
        {
            if (dollars < 0)
            {
                errors.Add(file, "meta.cost_per_image_usd", $"meta.cost_per_image_usd = {dollars} must not be negative; use US dollars, e.g. 0.04");
            }

            cost = (long)Math.Round(dollars * 1_000_000m);
        }

        return baseMeta with
        {
            EstimatedDurationSeconds = duration,
            CostPerImageUsdMicros = cost,
            ProviderModelId = meta.ProviderModelId ?? baseMeta.ProviderModelId,
            Notes = meta.Notes ?? baseMeta.Notes,
            Features = meta.Features is null ? baseMeta.Features : [.. meta.Features],
            RequiresGpu = meta.RequiresGpu ?? baseMeta.RequiresGpu,
        };
    }

    [GeneratedRegex(@"^\d+(-\d+)?$")]
    private static partial Regex DurationPattern();
}

/// <summary>Maps a written parameter layer to <see cref="ImageParameters"/>.</summary>
internal static class ParametersMapper
{
    public static ImageParameters Map(ParametersFile? parameters) => parameters is null
        ? ImageParameters.None
        : new ImageParameters
        {
            Size = parameters.Size,
            Quality = parameters.Quality,
            N = parameters.N,
            OutputFormat = parameters.OutputFormat,
            Background = parameters.Background,
            PartialImages = parameters.PartialImages,
            OutputCompression = parameters.OutputCompression,
            Seed = parameters.Seed,
            // An inline parameter also written under "extra" takes the inline value.
            Extra = (parameters.Extra ?? []).ToImmutableDictionary(p => p.Key, p => p.Value.Clone(), StringComparer.Ordinal)
                .SetItems((parameters.Inline ?? []).Select(p => KeyValuePair.Create(p.Key, p.Value.Clone()))),
        };
}
