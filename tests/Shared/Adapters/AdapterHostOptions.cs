using ProviderEmulator;

namespace Pipeline.Tests.Adapters;

/// <summary>What an adapter test project tells <see cref="AdapterTestHost"/>: which adapter, with which settings.</summary>
internal sealed record AdapterHostOptions
{
    /// <summary>The adapter's appsettings.json as the project copies it next to the tests (e.g. "openrouter.appsettings.json").</summary>
    public required string SettingsFile { get; init; }

    /// <summary>The adapter's assembly name: the application name its own Program.cs runs under.</summary>
    public required string ApplicationName { get; init; }

    /// <summary>The adapter's registration, as its Program.cs calls it (e.g. <c>builder => builder.AddOpenRouterAdapter()</c>).</summary>
    public required Action<IHostApplicationBuilder> AddAdapter { get; init; }

    /// <summary>The project's default configuration, given the started emulator (e.g. the adapter's BaseUrl). Default: none.</summary>
    public Func<RunningEmulator, IReadOnlyDictionary<string, string?>> Defaults { get; init; } = _ => new Dictionary<string, string?>();

    /// <summary>The test's overrides, applied over <see cref="Defaults"/>; a null value removes a key. Default: none.</summary>
    public IEnumerable<KeyValuePair<string, string?>>? Settings { get; init; }

    /// <summary>The emulator's options (faults, accepted keys, ComfyUI step delay). Default: the emulator's defaults.</summary>
    public EmulatorOptions Emulator { get; init; } = new();

    /// <summary>The host environment. Default: Production.</summary>
    public string EnvironmentName { get; init; } = "Production";
}
