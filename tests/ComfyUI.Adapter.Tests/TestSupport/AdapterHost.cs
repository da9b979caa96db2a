using System.Text.Json.Nodes;
using ProviderEmulator;
using ProviderEmulator.ComfyUI;

namespace ComfyUI.Adapter.Tests.TestSupport;

/// <summary>
/// ComfyUI.Adapter and the emulator in-process (the shared <see cref="AdapterTestHost"/>; the emulator's ComfyUI at fast
/// steps), the adapter pointed at <c>{emulator}/comfyui</c>. Emulator faults travel as the configured extra header
/// <c>x-emulator-fault</c> (on HTTP requests and the websocket upgrade).
/// </summary>
internal sealed class AdapterHost : AdapterTestHost
{
    private AdapterHost(StartedAdapter started)
        : base(started)
    {
    }

    /// <param name="fault">Sent as x-emulator-fault on every ComfyUI request; null for none.</param>
    /// <param name="baseUrl">ComfyUI:BaseUrl; default the emulator's /comfyui.</param>
    /// <param name="stepDelay">The emulator's time per sampler step; default 2 ms.</param>
    public static Task<AdapterHost> StartAsync(string? fault = null, string? baseUrl = null, TimeSpan? stepDelay = null) =>
        StartAdapterAsync(new AdapterHostOptions
        {
            SettingsFile = "comfyui.appsettings.json",
            ApplicationName = typeof(ComfyUIAdapterExtensions).Assembly.GetName().Name!,
            AddAdapter = builder => builder.AddComfyUIAdapter(),
            Defaults = emulator => new Dictionary<string, string?>
            {
                ["ComfyUI:BaseUrl"] = baseUrl ?? new Uri(emulator.BaseAddress, "comfyui").ToString(),
                ["ComfyUI:Retry:MaxRetries"] = "0",
                ["ComfyUI:InterruptTimeout"] = "00:00:05",
                ["ComfyUI:Headers:x-emulator-fault"] = fault,
            },
            Emulator = new EmulatorOptions
            {
                ComfyUI = new ComfyUIEmulatorOptions { StepDelay = stepDelay ?? TimeSpan.FromMilliseconds(2) },
            },
        }, started => new AdapterHost(started));

    /// <summary>The emulator's history entry of <paramref name="promptId"/> (GET /comfyui/history/{id}).</summary>
    public async Task<JsonObject> HistoryAsync(string promptId)
    {
        using var http = new HttpClient { BaseAddress = Emulator.BaseAddress };
        var text = await http.GetStringAsync($"comfyui/history/{promptId}").DefaultTimeout();
        return JsonNode.Parse(text)![promptId]!.AsObject();
    }
}
