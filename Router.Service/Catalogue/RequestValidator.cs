using System.Collections.Immutable;

namespace Router.Service.Catalogue;

/// <summary>Validates a request against its config and merges chunk defaults ← config overrides ← request overrides.</summary>
public static class RequestValidator
{
    /// <summary>
    /// Returns the effective parameters and the prompt with the config's context applied, or every violation
    /// (field path plus the allowed values). Never throws for bad input.
    /// </summary>
    public static RequestValidationResult Validate(ConfigDefinition config, GenerationInput input)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(input);

        var rules = config.Chunk.Rules;
        var effective = config.Parameters.With(input.Parameters);
        var violations = ParameterChecker.Check(config.Chunk, input.Parameters, effective, "parameters");

        string? prompt = null;
        if (input.Prompt is not null)
        {
            if (string.IsNullOrWhiteSpace(input.Prompt))
            {
                violations.Add(new("prompt", "prompt is required; describe the image to generate"));
            }
            else
            {
                prompt = config.Context?.Apply(input.Prompt) ?? input.Prompt;
                if (prompt.Length > rules.MaxPromptLength)
                {
                    violations.Add(new("prompt", $"prompt is {prompt.Length} characters with the config's context; {config.Chunk.Model} allows at most {rules.MaxPromptLength}"));
                }
            }
        }

        if (!rules.InputImages.Contains(input.InputImageCount))
        {
            violations.Add(new("input_images", rules.InputImages.Max == 0
                ? $"input_images: config '{config.Name}' takes no input images; got {input.InputImageCount} (use an edit config)"
                : $"input_images: config '{config.Name}' takes {rules.InputImages} input images; got {input.InputImageCount}"));
        }

        if (input.HasMask && !rules.Mask)
        {
            violations.Add(new("mask", $"mask is not supported by config '{config.Name}'; leave it unset"));
        }

        if (violations.Count > 0)
        {
            return new RequestValidationResult { Violations = [.. violations] };
        }

        if ((effective.OutputFormat ?? "png") == "png")
        {
            effective = effective with { OutputCompression = null };
        }

        return new RequestValidationResult { Parameters = effective, Prompt = prompt, Violations = ImmutableArray<ParameterViolation>.Empty };
    }
}
