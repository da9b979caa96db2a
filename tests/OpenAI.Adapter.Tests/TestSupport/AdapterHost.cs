using ProviderEmulator;

namespace OpenAI.Adapter.Tests.TestSupport;

/// <summary>
/// The OpenAI adapter and the emulator in-process (the shared <see cref="AdapterTestHost"/>), the adapter pointed at the
/// emulator's /v1 with <see cref="ConfiguredKey"/>, in the Development environment (the service provider validates scopes).
/// </summary>
internal sealed class AdapterHost : AdapterTestHost
{
    /// <summary>The key the adapter is configured with (the emulator accepts any key unless told otherwise).</summary>
    public const string ConfiguredKey = "sk-test-configured-0123456789";

    private AdapterHost(StartedAdapter started)
        : base(started)
    {
    }

    /// <summary>
    /// Starts an emulator (instance-wide <paramref name="faults"/>, header syntax; <paramref name="emulatorKeys"/> = the only keys
    /// it accepts) and the adapter. Defaults for the adapter: the emulator's /v1 as BaseUrl, <see cref="ConfiguredKey"/>, no
    /// retries (tests of retries turn them on), downloads from loopback allowed (the emulator serves DALL·E URLs).
    /// <paramref name="settings"/> override any of these; a null value removes one.
    /// </summary>
    public static Task<AdapterHost> StartAsync(string faults = "", IDictionary<string, string?>? settings = null, IReadOnlyList<string>? emulatorKeys = null) =>
        StartAdapterAsync(new AdapterHostOptions
        {
            SettingsFile = "openai.appsettings.json",
            ApplicationName = typeof(OpenAIAdapterExtensions).Assembly.GetName().Name!,
            AddAdapter = builder => builder.AddOpenAIAdapter(),
            EnvironmentName = "Development",
            Defaults = emulator => new Dictionary<string, string?>
            {
                ["OpenAI:BaseUrl"] = emulator.OpenAIEndpoint.AbsoluteUri,
                ["OpenAI:ApiKey"] = ConfiguredKey,
                ["OpenAI:Retry:MaxRetries"] = "0",
                ["OpenAI:Retry:BaseDelay"] = "00:00:00.050",
                ["OpenAI:Download:AllowPrivateNetworks"] = "true",
                ["Logging:LogLevel:Default"] = "Debug",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
            },
            Settings = settings,
            Emulator = new EmulatorOptions
            {
                Faults = new EmulatorFaultOptions { Default = faults },
                ApiKeys = emulatorKeys ?? [],
            },
        }, started => new AdapterHost(started));
}
