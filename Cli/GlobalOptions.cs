using System.CommandLine;

namespace Pipeline.Cli;

/// <summary>The options every command takes: keys and output format.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Key { get; } = new("--key") { Description = "API key of the gateway (default: $PIPELINE_API_KEY)", Recursive = true };

    public Option<string?> OpenAIKey { get; } = new("--openai-key") { Description = "Your own OpenAI key, sent only to the OpenAI adapter", Recursive = true };

    public Option<string?> OpenRouterKey { get; } = new("--openrouter-key") { Description = "Your own OpenRouter key, sent only to the OpenRouter adapter", Recursive = true };

    public Option<bool> Json { get; } = new("--json") { Description = "Print machine-readable JSON instead of tables and live progress", Recursive = true };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Key);
        root.Options.Add(OpenAIKey);
        root.Options.Add(OpenRouterKey);
        root.Options.Add(Json);
    }
}
