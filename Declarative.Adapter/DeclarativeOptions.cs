using System.Text;

namespace Declarative.Adapter;

/// <summary>
/// What the declarative adapter needs beyond <c>ProviderOptions</c> (same section, <c>Declarative</c>), validated on start by
/// <see cref="DeclarativeOptionsValidator"/>, which reports every error at once.
/// </summary>
public sealed record DeclarativeOptions
{
    /// <summary>The configuration section: <c>Declarative</c>.</summary>
    public const string SectionName = "Declarative";

    /// <summary>
    /// <c>EmulatorUrl</c>: the provider emulator's base URL, e.g. http://127.0.0.1:5100. When set, a call whose chunk names a
    /// secret without a configured value goes to <c>{EmulatorUrl}/{endpoint host}{endpoint path and query}</c> instead of the
    /// real API. Default: none (every call goes to the real endpoint).
    /// </summary>
    public Uri? EmulatorUrl { get; init; }

    /// <summary>
    /// <c>Secrets:{NAME}</c>: values of the chunks' <c>{{NAME}}</c> placeholders, e.g. <c>Secrets:STABILITY_API_KEY</c>. A name
    /// missing here is read from the environment variable NAME. Default: none. Never logged.
    /// </summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    /// <summary><c>CancelTimeout</c>: how long the best-effort POST to an async job's cancel URL may take. Default 5 s.</summary>
    public TimeSpan CancelTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>PollInterval</c>: when set, replaces every chunk's <c>async.interval_seconds</c> (tests and the emulator poll faster
    /// than real APIs allow). Default: none (the chunk's interval, else 1 s).
    /// </summary>
    public TimeSpan? PollInterval { get; init; }

    /// <summary>Secret values stay out of ToString.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("EmulatorUrl = ").Append(EmulatorUrl)
            .Append(", Secrets = [").Append(string.Join(", ", Secrets.Keys)).Append(']')
            .Append(", CancelTimeout = ").Append(CancelTimeout)
            .Append(", PollInterval = ").Append(PollInterval);
        return true;
    }
}
