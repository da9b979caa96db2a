using System.Text;
using Pipeline.Imaging;

namespace Pipeline.Providers;

/// <summary>
/// An adapter's configuration (section "OpenAI" or "OpenRouter"), validated at start-up by
/// <see cref="ProviderOptionsValidator"/>, which reports every error at once.
/// </summary>
public sealed record ProviderOptions
{
    /// <summary>The provider API's base URL, e.g. https://api.openai.com/v1. Default: <see cref="ProviderDefaults.BaseUrl"/>.</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>
    /// The provider key. When empty: the environment variable <see cref="ProviderDefaults.ApiKeyEnvironmentVariable"/>, else the
    /// trimmed contents of <see cref="ApiKeyFile"/>. May stay empty when every caller brings its own key (x-provider-key).
    /// </summary>
    public string? ApiKey { get; init; }

    /// <summary>A file holding the key (e.g. a mounted secret). Default none.</summary>
    public string? ApiKeyFile { get; init; }

    /// <summary>Provider calls in flight at once. Default 16.</summary>
    public int MaxConcurrentCalls { get; init; } = 16;

    /// <summary>Calls waiting for a slot; beyond this a call gets RESOURCE_EXHAUSTED. Default 64.</summary>
    public int QueueLimit { get; init; } = 64;

    /// <summary>Retries of retryable failures before the first frame.</summary>
    public ProviderRetryOptions Retry { get; init; } = new();

    /// <summary>Downloads of images the provider returns as URLs.</summary>
    public ImageDownloadOptions Download { get; init; } = new();

    /// <summary>The models the adapter serves (ListModels) and their prices. Default none.</summary>
    public IReadOnlyList<ModelDefinition> Models { get; init; } = [];

    /// <summary>
    /// Token prices of the Responses API's host models (the chat model that calls the image tool, e.g. gpt-4.1), matched by
    /// id or by id plus a dated suffix ("gpt-4.1" prices "gpt-4.1-2025-04-14"). Default none: host tokens are then unpriced.
    /// </summary>
    public IReadOnlyList<HostModelPrice> HostModels { get; init; } = [];

    /// <summary>Extra headers sent on every provider request (OpenRouter: HTTP-Referer, X-Title). Default none.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The model named <paramref name="id"/> (ordinal), or null.</summary>
    public ModelDefinition? FindModel(string id) => Models.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.Ordinal));

    /// <summary>The key stays out of ToString.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("BaseUrl = ").Append(BaseUrl)
            .Append(", ApiKey = ").Append(string.IsNullOrEmpty(ApiKey) ? "(none)" : "***")
            .Append(", ApiKeyFile = ").Append(ApiKeyFile)
            .Append(", MaxConcurrentCalls = ").Append(MaxConcurrentCalls)
            .Append(", QueueLimit = ").Append(QueueLimit)
            .Append(", Retry = ").Append(Retry)
            .Append(", Download = ").Append(Download)
            .Append(", Models = ").Append(Models.Count);
        return true;
    }
}

/// <summary>Retries of retryable provider failures (429, 5xx, connection failures, 408/504), only before the first frame.</summary>
public sealed record ProviderRetryOptions
{
    /// <summary>Retries after the first attempt. Default 2; 0 turns retries off.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>First backoff delay, doubled per retry when the provider sends no retry-after. Default 1 s.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay; a provider asking for longer is not retried (its status goes back with the delay). Default 30 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>Limits on the images a provider returns (inline or as URLs) and on their downloads.</summary>
public sealed record ImageDownloadOptions
{
    /// <summary>Largest image accepted, inline (base64, data URI) or downloaded, in bytes. Default 50 MiB.</summary>
    public long MaxBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>Time for the whole download. Default 30 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether loopback, private and link-local addresses may be downloaded from (tests, emulator). Default false.</summary>
    public bool AllowPrivateNetworks { get; init; }

    /// <summary>
    /// Largest declared dimensions of an image (the decompression-bomb guard, checked on its header before anything else):
    /// <c>MaxMegapixels</c> (default 100) and <c>MaxSide</c> (default 16384). A larger image is a MalformedResponse.
    /// </summary>
    public ImageLimits Dimensions { get; init; } = new();
}

/// <summary>A model the adapter serves: what ListModels says and where prices come from.</summary>
public sealed record ModelDefinition
{
    /// <summary>Provider model id, e.g. "gpt-image-1". Required, unique.</summary>
    public string Id { get; init; } = "";

    /// <summary>Human-readable name. Default: the id.</summary>
    public string DisplayName { get; init; } = "";

    /// <summary>Operations: generate, edit, responses, chat. At least one.</summary>
    public IReadOnlyList<string> Operations { get; init; } = [];

    /// <summary>Allowed sizes ("WxH" or "auto").</summary>
    public IReadOnlyList<string> Sizes { get; init; } = [];

    /// <summary>Output formats: png, jpeg, webp.</summary>
    public IReadOnlyList<string> OutputFormats { get; init; } = [];

    /// <summary>Allowed quality values.</summary>
    public IReadOnlyList<string> Qualities { get; init; } = [];

    /// <summary>Largest n. Default 1.</summary>
    public int MaxN { get; init; } = 1;

    /// <summary>Whether partial images can be streamed.</summary>
    public bool SupportsPartialImages { get; init; }

    /// <summary>
    /// Per-image prices by size and quality (the most specific match wins), used only when the provider reports no usage
    /// (DALL·E; replies without a usage object). Reported usage is priced by the token prices below.
    /// </summary>
    public IReadOnlyList<PriceDefinition> Prices { get; init; } = [];

    /// <summary>USD per million text input tokens (all input tokens when the provider does not split them). Null: unknown.</summary>
    public decimal? InputUsdPerMillionTokens { get; init; }

    /// <summary>USD per million cached text input tokens. Null: unknown.</summary>
    public decimal? CachedInputUsdPerMillionTokens { get; init; }

    /// <summary>USD per million image input tokens (edits' and Responses' input images). Null: unknown.</summary>
    public decimal? ImageInputUsdPerMillionTokens { get; init; }

    /// <summary>USD per million cached image input tokens. Null: unknown.</summary>
    public decimal? CachedImageInputUsdPerMillionTokens { get; init; }

    /// <summary>USD per million image output tokens (all output tokens when the provider does not split them). Null: unknown.</summary>
    public decimal? OutputUsdPerMillionTokens { get; init; }

    /// <summary>USD per million text output tokens. Null: unknown.</summary>
    public decimal? TextOutputUsdPerMillionTokens { get; init; }
}

/// <summary>The token prices of a Responses API host model.</summary>
public sealed record HostModelPrice
{
    /// <summary>Model id, e.g. "gpt-4.1". Required.</summary>
    public string Id { get; init; } = "";

    /// <summary>USD per million input tokens.</summary>
    public decimal InputUsdPerMillionTokens { get; init; }

    /// <summary>USD per million cached input tokens. Null: the input price.</summary>
    public decimal? CachedInputUsdPerMillionTokens { get; init; }

    /// <summary>USD per million output tokens.</summary>
    public decimal OutputUsdPerMillionTokens { get; init; }

    /// <summary>Whether this price is for <paramref name="model"/>: the same id, or the id followed by '-' and a dated snapshot.</summary>
    public bool Prices(string model) => string.Equals(model, Id, StringComparison.Ordinal)
        || (model.Length > Id.Length + 1 && model.StartsWith(Id, StringComparison.Ordinal) && model[Id.Length] == '-' && char.IsAsciiDigit(model[Id.Length + 1]));
}

/// <summary>The price of one image. Null size or quality means any.</summary>
public sealed record PriceDefinition
{
    /// <summary>"WxH" of the image, or null for any size.</summary>
    public string? Size { get; init; }

    /// <summary>The request's quality, or null for any.</summary>
    public string? Quality { get; init; }

    /// <summary>USD per image.</summary>
    public decimal UsdPerImage { get; init; }
}
