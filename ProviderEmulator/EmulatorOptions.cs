using ProviderEmulator.ComfyUI;

namespace ProviderEmulator;

/// <summary>Emulator settings, bound from the <c>Emulator</c> configuration section.</summary>
public sealed record EmulatorOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Emulator";

    /// <summary>
    /// Accepted Bearer keys. Empty (the default) accepts any non-empty key; otherwise any other key gets 401
    /// <c>invalid_api_key</c>.
    /// </summary>
    public IReadOnlyList<string> ApiKeys { get; init; } = [];

    /// <summary>Faults applied to every API request of this instance.</summary>
    public EmulatorFaultOptions Faults { get; init; } = new();

    /// <summary>Whether rendered and encoded images are cached by (prompt, size, seed, format). Default true.</summary>
    public bool CacheImages { get; init; } = true;

    /// <summary>
    /// Whether every final image carries 16 unique bytes (a private PNG chunk, a JPEG COM segment or a WebP RIFF chunk), so
    /// that identical requests return distinct bytes decoding to the same pixels, without rendering again. Default false:
    /// identical requests return identical bytes.
    /// </summary>
    public bool DistinctImages { get; init; }

    /// <summary>The ComfyUI emulator's step time and previews (<c>Emulator:ComfyUI:*</c>).</summary>
    public ComfyUIEmulatorOptions ComfyUI { get; init; } = new();
}

/// <summary>Instance-wide fault injection (configuration keys <c>Emulator:Faults:*</c>).</summary>
public sealed record EmulatorFaultOptions
{
    /// <summary>
    /// A fault list in the <c>x-emulator-fault</c> header syntax (see docs/emulator.md) applied to every API request, before
    /// the request's own header. Default empty: no faults.
    /// </summary>
    public string Default { get; init; } = "";

    /// <summary>The next N API calls of this instance get 429 <c>rate_limit_exceeded</c>. Default 0.</summary>
    public int RateLimitNextCalls { get; init; }
}
