using Pipeline.Contracts.ImageGen.V1;
using ProviderEmulator;
using ProviderEmulator.Hosting;

namespace Router.Service.Tests.TestSupport;

/// <summary>
/// The router with the real pieces behind it: Storage.Service over a temp data folder, the real OpenAI and OpenRouter
/// adapters (service names <c>openai</c>, <c>openrouter</c>) and the ProviderEmulator both call.
/// </summary>
internal sealed class EndToEndFleet : IAsyncDisposable
{
    public const string GenerationsPath = "/v1/images/generations";

    public const string ChatPath = "/api/v1/chat/completions";

    private readonly TempDirectory _data;

    private EndToEndFleet(TempDirectory data, StorageHost storage, RunningEmulator emulator, RealAdapterHost openAI, RealAdapterHost openRouter, RouterHost router)
    {
        _data = data;
        Storage = storage;
        Emulator = emulator;
        OpenAI = openAI;
        OpenRouter = openRouter;
        Router = router;
    }

    public StorageHost Storage { get; }

    public RunningEmulator Emulator { get; }

    public RealAdapterHost OpenAI { get; }

    public RealAdapterHost OpenRouter { get; }

    public RouterHost Router { get; }

    public ImageGeneration.ImageGenerationClient Client => Router.Client;

    /// <summary>Image generation requests the emulator received.</summary>
    public IReadOnlyList<EmulatorEvent> GenerationRequests =>
        [.. Emulator.Traffic.Events.Where(e => e.Kind == EmulatorEventKind.RequestStarted && e.Path == GenerationsPath)];

    public static async Task<EndToEndFleet> StartAsync(EmulatorOptions? emulatorOptions = null)
    {
        var data = new TempDirectory("router-e2e-storage");
        var storage = await StorageHost.StartAsync(data.Path);
        var emulator = await EmulatorHost.StartAsync(emulatorOptions ?? new EmulatorOptions()).DefaultTimeout();
        var openAI = await RealAdapterHost.StartOpenAIAsync(emulator);
        var openRouter = await RealAdapterHost.StartOpenRouterAsync(emulator);
        var router = await RouterHost.StartAsync(openAI.Address, storage.GrpcAddress, new Dictionary<string, string?>
        {
            ["services:openrouter:grpc:0"] = openRouter.Address.ToString(),
        });
        return new EndToEndFleet(data, storage, emulator, openAI, openRouter, router);
    }

    /// <summary>Calls Generate and reads the whole stream (bounded).</summary>
    public async Task<GenerateResult> GenerateAsync(GenerateRequest request, TimeSpan? deadline = null)
    {
        using var call = Client.Generate(request, deadline: deadline is { } d ? DateTime.UtcNow + d : null);
        return await GenerateResult.ReadAsync(call).DefaultTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        await Router.DisposeAsync();
        await OpenAI.DisposeAsync();
        await OpenRouter.DisposeAsync();
        await Emulator.DisposeAsync();
        await Storage.DisposeAsync();
        _data.Dispose();
    }
}
