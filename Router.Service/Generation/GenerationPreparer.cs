using Microsoft.Extensions.Options;
using Pipeline.Contracts.ImageGen.V1;
using Router.Service.Catalogue;

namespace Router.Service.Generation;

/// <summary>
/// The first half of a Generate: checks the run id, resolves the config (or the mode's default), merges and validates
/// the parameters and resolves input images. Everything it rejects is rejected before any frame is sent: INVALID_ARGUMENT
/// with every violation, or NOT_FOUND for an unknown config.
/// </summary>
public sealed class GenerationPreparer(CatalogueProvider catalogue, InputImageResolver inputImages, IOptions<GenerationOptions> options)
{
    public async Task<GenerationPlan> PrepareAsync(GenerateRequest request, CallContext call, CancellationToken cancellationToken)
    {
        var violations = new List<ParameterViolation>();
        var runIdSupplied = request.RunId.Length > 0;
        if (runIdSupplied && RunIds.Check(request.RunId) is { } runIdProblem)
        {
            violations.Add(new("run_id", runIdProblem));
        }
        InputImageResolver.Check(request, violations, options.Value.ImageLimits);

        var snapshot = catalogue.Current;
        var config = snapshot.Resolve(request.Config, request.Mode, request.MediaType);
        if (config is null)
        {
            if (violations.Count > 0)
            {
                RouterException.ThrowInvalid(violations);
            }
            RouterException.ThrowNotFound(NotFoundMessage(snapshot, request));
        }

        var input = new GenerationInput
        {
            Prompt = request.Prompt,
            Parameters = ParameterMapping.ToLayer(request.Parameters),
            InputImageCount = request.InputImages.Count,
            HasMask = request.Mask is not null,
        };
        var validation = RequestValidator.Validate(config, input);
        violations.AddRange(validation.Violations);
        if (violations.Count > 0)
        {
            RouterException.ThrowInvalid(violations);
        }

        var primary = new GenerationAttempt(config, validation.Parameters!, validation.Prompt!);
        var attempts = AttemptPlanner.Plan(primary, snapshot, input, call);
        if (attempts.All(a => a.Attempt is null))
        {
            RouterException.ThrowNoUsableConfig(attempts);
        }
        var (images, mask) = await inputImages.ResolveAsync(request, call.Caller, cancellationToken);
        return new GenerationPlan
        {
            RunId = runIdSupplied ? request.RunId : RunIds.New(),
            RunIdSupplied = runIdSupplied,
            Mode = string.IsNullOrEmpty(request.Config) ? (string.IsNullOrEmpty(request.Mode) ? CatalogueSnapshot.DefaultMode : request.Mode) : "",
            UserPrompt = request.Prompt,
            Catalogue = snapshot,
            Primary = primary,
            Input = input,
            InputImages = [.. images],
            Mask = mask,
            IncludeImageData = request.IncludeImageData,
            Call = call,
            RequestDigest = RequestDigest.Create(request, input.Parameters, images, mask),
            Attempts = attempts,
        };
    }

    private static string NotFoundMessage(CatalogueSnapshot catalogue, GenerateRequest request)
    {
        if (!string.IsNullOrEmpty(request.Config))
        {
            return $"config '{request.Config}' does not exist; known configs: {string.Join(", ", catalogue.Configs.Keys)}";
        }
        var mediaType = string.IsNullOrEmpty(request.MediaType) ? CatalogueSnapshot.DefaultMediaType : request.MediaType;
        var mode = string.IsNullOrEmpty(request.Mode) ? CatalogueSnapshot.DefaultMode : request.Mode;
        return catalogue.Defaults.TryGetValue(mediaType, out var modes)
            ? $"media type '{mediaType}' has no default config for mode '{mode}'; modes: {string.Join(", ", modes.Keys)}"
            : $"media type '{mediaType}' has no default configs; media types: {string.Join(", ", catalogue.Defaults.Keys)}";
    }
}
