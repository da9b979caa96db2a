using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ProviderEmulator.Faults;
using ProviderEmulator.Hosting;
using ProviderEmulator.Ledger;

namespace ProviderEmulator;

/// <summary>Starts the emulator in-process on a free loopback port (Kestrel on port 0).</summary>
public static class EmulatorHost
{
    /// <summary>
    /// Starts an emulator with <paramref name="options"/> (default: any key, no faults) on http://127.0.0.1:0 and returns
    /// once it listens. Dispose the result to stop it.
    /// </summary>
    public static async Task<RunningEmulator> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EmulatorHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // The content root is the host's folder, whose appsettings.json may be another app's (a test project referencing a
        // service and the emulator): its Kestrel:Endpoints would replace port 0. In-process, listen only where told.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Configure(new ConfigurationBuilder().Build()));
        builder.AddEmulatorServices(options ?? new EmulatorOptions());
        var app = builder.Build();
        app.MapEmulator();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningEmulator(app, new Uri(address), app.Services.GetRequiredService<EmulatorTrafficLog>(), app.Services.GetRequiredService<FaultState>(),
            app.Services.GetRequiredService<ImageLedger>());
    }
}

/// <summary>An emulator started by <see cref="EmulatorHost.StartAsync"/>.</summary>
public sealed class RunningEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    internal RunningEmulator(WebApplication app, Uri baseAddress, EmulatorTrafficLog traffic, FaultState faults, ImageLedger ledger)
    {
        Ledger = ledger;
        _app = app;
        BaseAddress = baseAddress;
        Traffic = traffic;
        Faults = faults;
    }

    /// <summary>e.g. http://127.0.0.1:41234 — OpenAI base is <c>BaseAddress + "v1"</c>, OpenRouter <c>BaseAddress + "api/v1"</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>OpenAI-compatible base, <c>{BaseAddress}/v1</c>.</summary>
    public Uri OpenAIEndpoint => new(BaseAddress, "/v1");

    /// <summary>OpenRouter-compatible base, <c>{BaseAddress}/api/v1</c>.</summary>
    public Uri OpenRouterEndpoint => new(BaseAddress, "/api/v1");

    /// <summary>Requests and disconnects seen.</summary>
    public EmulatorTrafficLog Traffic { get; }

    /// <summary>Run-time fault state (e.g. 429 for the next N calls).</summary>
    public FaultState Faults { get; }

    /// <summary>The final images delivered, with their run and SHA-256.</summary>
    public ImageLedger Ledger { get; }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
