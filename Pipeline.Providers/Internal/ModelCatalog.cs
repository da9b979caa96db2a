using Pipeline.Contracts.Provider.V1;

namespace Pipeline.Providers.Internal;

/// <summary>ListModels from the configured <see cref="ModelDefinition"/>s.</summary>
internal static class ModelCatalog
{
    public static readonly IReadOnlyDictionary<string, Operation> Operations = new Dictionary<string, Operation>(StringComparer.OrdinalIgnoreCase)
    {
        ["generate"] = Operation.Generate,
        ["edit"] = Operation.Edit,
        ["responses"] = Operation.Responses,
        ["chat"] = Operation.Chat,
    };

    public static ListModelsResponse ToResponse(string provider, IReadOnlyList<ModelDefinition> models)
    {
        var response = new ListModelsResponse { Provider = provider };
        foreach (var model in models)
        {
            var info = new ModelInfo
            {
                Id = model.Id,
                DisplayName = model.DisplayName.Length > 0 ? model.DisplayName : model.Id,
                MaxN = model.MaxN,
                SupportsPartialImages = model.SupportsPartialImages,
            };
            info.Operations.AddRange(model.Operations.Select(o => Operations[o]));
            info.Sizes.AddRange(model.Sizes);
            info.OutputFormats.AddRange(model.OutputFormats);
            info.Qualities.AddRange(model.Qualities);
            info.Prices.AddRange(model.Prices.Select(p => new Price
            {
                Size = p.Size ?? "",
                Quality = p.Quality ?? "",
                UsdMicrosPerImage = CostCalculator.ToMicros(p.UsdPerImage),
            }));
            response.Models.Add(info);
        }
        return response;
    }
}
