using Pipeline.Contracts.ImageGen.V1;

namespace Gateway.OpenAI;

/// <summary>The config a request runs with, or the router's default for a mode.</summary>
/// <param name="Config">The config name; null when the router's default for <paramref name="Mode"/> applies.</param>
/// <param name="Mode">The mode for the default lookup (only with a null config).</param>
/// <param name="Info">The config's catalogue entry; null for a default lookup.</param>
public sealed record ResolvedModel(string? Config, string Mode, ConfigInfo? Info);

/// <summary>
/// Maps OpenAI's <c>model</c> onto the router's configs:
/// <list type="number">
/// <item>no model: the router's default config for the mode (<c>fast</c> for generations, <c>edit</c> for edits);</item>
/// <item>a config name whose operation serves the endpoint: that config (e.g. <c>gpt-image-1_highquality</c>);</item>
/// <item>a provider model (a config's <c>model</c>, e.g. <c>gpt-image-1</c>, <c>google/gemini-2.5-flash-image</c>): its
/// base config for the endpoint — the config named after the model without its vendor prefix (edits: with
/// <c>_edit</c>), else the first config of that model in name order whose operation serves the endpoint;</item>
/// <item>anything else: 404 <c>model_not_found</c>; a config that cannot serve the endpoint: 400 on <c>model</c>.</item>
/// </list>
/// </summary>
public static class ModelResolver
{
    public static ResolvedModel Resolve(string? model, ImageOperation operation, ListConfigsResponse catalogue)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return new ResolvedModel(null, operation.DefaultMode(), null);
        }
        var operations = operation.ConfigOperations();
        bool Serves(ConfigInfo config) => operations.Contains(config.Operation, StringComparer.Ordinal);

        var named = catalogue.Configs.FirstOrDefault(c => c.Name == model);
        if (named is not null && Serves(named))
        {
            return new ResolvedModel(named.Name, "", named);
        }
        var ofModel = catalogue.Configs.Where(c => c.Model == model && Serves(c)).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        if (ofModel.Count > 0)
        {
            var baseName = model[(model.LastIndexOf('/') + 1)..] + (operation == ImageOperation.Edits ? "_edit" : "");
            var chosen = ofModel.FirstOrDefault(c => c.Name == baseName) ?? ofModel[0];
            return new ResolvedModel(chosen.Name, "", chosen);
        }
        if (named is not null)
        {
            var alternatives = catalogue.Configs.Where(Serves).Select(c => c.Name).Order(StringComparer.Ordinal);
            throw OpenAIException.Invalid(
                $"The config '{named.Name}' (operation '{named.Operation}') cannot serve {(operation == ImageOperation.Edits ? "image edits" : "image generations")}; " +
                $"use one of: {string.Join(", ", alternatives)}.", "model");
        }
        throw OpenAIException.ModelNotFound(model);
    }
}
