using ProviderEmulator.Hosting;

namespace Declarative.Adapter.Tests.TestSupport;

/// <summary>
/// Declarative.Adapter and the emulator in-process (the shared <see cref="AdapterTestHost"/>), with
/// <c>Declarative:EmulatorUrl</c> pointing at the emulator (so chunks whose secrets are not configured go there), downloads
/// from loopback allowed, a fast poll interval and no retries.
/// </summary>
internal sealed class AdapterHost : AdapterTestHost
{
    private AdapterHost(StartedAdapter started)
        : base(started)
    {
    }

    /// <param name="settings">Configuration overrides; a null value removes a default (e.g. "Declarative:EmulatorUrl").</param>
    public static Task<AdapterHost> StartAsync(IDictionary<string, string?>? settings = null) =>
        StartAdapterAsync(new AdapterHostOptions
        {
            SettingsFile = "declarative.appsettings.json",
            ApplicationName = typeof(DeclarativeAdapterExtensions).Assembly.GetName().Name!,
            AddAdapter = builder => builder.AddDeclarativeAdapter(),
            Defaults = emulator => new Dictionary<string, string?>
            {
                ["Declarative:EmulatorUrl"] = emulator.BaseAddress.ToString(),
                ["Declarative:Download:AllowPrivateNetworks"] = "true",
                ["Declarative:PollInterval"] = "00:00:00.020",
                ["Declarative:Retry:MaxRetries"] = "0",
            },
            Settings = settings,
        }, started => new AdapterHost(started));

    /// <summary>Requests the emulator saw start on a path beginning with <paramref name="prefix"/>.</summary>
    public IReadOnlyList<EmulatorEvent> Started(string prefix) =>
        [.. Emulator.Traffic.Events.Where(e => e.Kind == EmulatorEventKind.RequestStarted && e.Path.StartsWith(prefix, StringComparison.Ordinal))];
}
