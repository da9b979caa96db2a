using ProviderEmulator;
using ProviderEmulator.Hosting;

namespace OpenRouter.Adapter.Tests.TestSupport;

/// <summary>
/// OpenRouter.Adapter and the emulator in-process (the shared <see cref="AdapterTestHost"/>), the adapter pointed at the
/// emulator's OpenRouter API with <see cref="ConfiguredKey"/>. Emulator faults travel as the adapter's configured extra
/// header <c>x-emulator-fault</c>.
/// </summary>
internal sealed class AdapterHost : AdapterTestHost
{
    public const string ConfiguredKey = "sk-or-v1-configured-0123456789abcdef";
    public const string ChatPath = "/api/v1/chat/completions";

    private AdapterHost(StartedAdapter started)
        : base(started)
    {
    }

    /// <summary>Chat completion requests the emulator has seen start.</summary>
    public int ChatRequestsStarted => Emulator.Traffic.Events.Count(e => e.Kind == EmulatorEventKind.RequestStarted && e.Path == ChatPath);

    /// <param name="fault">Sent as x-emulator-fault on every provider request; null for none.</param>
    /// <param name="settings">Configuration overrides (keys like "OpenRouter:Retry:MaxRetries"). Retries are off unless set here.</param>
    /// <param name="emulatorOptions">The emulator's options (e.g. accepted keys).</param>
    public static Task<AdapterHost> StartAsync(string? fault = null, IDictionary<string, string?>? settings = null, EmulatorOptions? emulatorOptions = null) =>
        StartAdapterAsync(new AdapterHostOptions
        {
            SettingsFile = "openrouter.appsettings.json",
            ApplicationName = typeof(OpenRouterAdapterExtensions).Assembly.GetName().Name!,
            AddAdapter = builder => builder.AddOpenRouterAdapter(),
            Defaults = emulator => new Dictionary<string, string?>
            {
                ["OpenRouter:BaseUrl"] = emulator.OpenRouterEndpoint.ToString(),
                ["OpenRouter:ApiKey"] = ConfiguredKey,
                ["OpenRouter:Retry:MaxRetries"] = "0",
                ["OpenRouter:Retry:BaseDelay"] = "00:00:00.050",
                ["OpenRouter:Headers:x-emulator-fault"] = fault,
            },
            Settings = settings,
            Emulator = emulatorOptions ?? new EmulatorOptions(),
        }, started => new AdapterHost(started));
}
