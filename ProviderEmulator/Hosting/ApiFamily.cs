namespace ProviderEmulator.Hosting;

/// <summary>Which provider a route imitates; decides envelopes and headers.</summary>
internal enum ApiFamily
{
    /// <summary>Not an API route (emulator control, served files).</summary>
    None,

    /// <summary>api.openai.com/v1.</summary>
    OpenAI,

    /// <summary>openrouter.ai/api/v1.</summary>
    OpenRouter,

    /// <summary>api.stability.ai (under /api.stability.ai/).</summary>
    Stability,

    /// <summary>api.replicate.com (under /api.replicate.com/).</summary>
    Replicate,
}
