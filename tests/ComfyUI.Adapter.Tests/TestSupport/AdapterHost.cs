using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenRouter.Adapter.Tests.TestSupport;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers;
using Pipeline.ServiceDefaults.Grpc;
using ProviderEmulator;
using ProviderEmulator.ComfyUI;

namespace ComfyUI.Adapter.Tests.TestSupport;

/// <summary>
/// The provider emulator (its ComfyUI at fast steps) and ComfyUI.Adapter in-process: the adapter on Kestrel (HTTP/1.1 and
/// HTTP/2 on 127.0.0.1 port 0) with its real appsettings.json, registered and mapped exactly as Program.cs does, pointed at
/// <c>{emulator}/comfyui</c>, called through a grpc-dotnet client. Emulator faults travel as the configured extra header
/// <c>x-emulator-fault</c> (on HTTP requests and the websocket upgrade). Disposing fails on unexpected Error-level logs.
/// </summary>
internal sealed class AdapterHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AdapterHost(WebApplication app, RunningEmulator emulator, LogSink logs, int grpcPort)
    {
        _app = app;
        Emulator = emulator;
        Logs = logs;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}", new GrpcChannelOptions { MaxReceiveMessageSize = 256 * 1024 * 1024 });
        Client = new ProviderAdapter.ProviderAdapterClient(Channel);
    }

    public RunningEmulator Emulator { get; }

    public LogSink Logs { get; }

    public GrpcChannel Channel { get; }

    public ProviderAdapter.ProviderAdapterClient Client { get; }

    /// <param name="fault">Sent as x-emulator-fault on every ComfyUI request; null for none.</param>
    /// <param name="baseUrl">ComfyUI:BaseUrl; default the emulator's /comfyui.</param>
    /// <param name="stepDelay">The emulator's time per sampler step; default 2 ms.</param>
    public static async Task<AdapterHost> StartAsync(string? fault = null, string? baseUrl = null, TimeSpan? stepDelay = null)
    {
        var emulator = await EmulatorHost.StartAsync(new EmulatorOptions
        {
            ComfyUI = new ComfyUIEmulatorOptions { StepDelay = stepDelay ?? TimeSpan.FromMilliseconds(2) },
        }).DefaultTimeout();
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                ContentRootPath = AppContext.BaseDirectory,
                EnvironmentName = "Production",
                ApplicationName = typeof(ComfyUIAdapterExtensions).Assembly.GetName().Name,
            });
            var configuration = new Dictionary<string, string?>
            {
                ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
                ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
                ["ComfyUI:BaseUrl"] = baseUrl ?? new Uri(emulator.BaseAddress, "comfyui").ToString(),
                ["ComfyUI:Retry:MaxRetries"] = "0",
                ["ComfyUI:InterruptTimeout"] = "00:00:05",
            };
            if (fault is not null)
            {
                configuration["ComfyUI:Headers:x-emulator-fault"] = fault;
            }
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "comfyui.appsettings.json"), optional: false);
            builder.Configuration.AddInMemoryCollection(configuration);
            var logs = new LogSink();
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(logs);
            var listeners = new ConcurrentBag<ListenOptions>();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listeners.Add));

            builder.AddServiceDefaults();
            builder.AddComfyUIAdapter();
            var app = builder.Build();
            app.MapDefaultEndpoints();
            app.MapProviderAdapter();
            await app.StartAsync().DefaultTimeout();

            var grpc = listeners.Single(l => l.Protocols == HttpProtocols.Http2).IPEndPoint!.Port;
            return new AdapterHost(app, emulator, logs, grpc);
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs Generate to its end: every frame, and the status it ended with (OK, or the rich status of the RpcException).</summary>
    public async Task<(List<ProviderFrame> Frames, Google.Rpc.Status Status)> GenerateAsync(ProviderRequest request)
    {
        var frames = new List<ProviderFrame>();
        try
        {
            using var call = Client.Generate(request, new CallOptions(deadline: DateTime.UtcNow + TaskTimeouts.Default));
            await foreach (var frame in call.ResponseStream.ReadAllAsync())
            {
                frames.Add(frame);
            }
            return (frames, new Google.Rpc.Status());
        }
        catch (RpcException ex)
        {
            return (frames, ex.ToRichStatus());
        }
    }

    /// <summary>The emulator's history entry of <paramref name="promptId"/> (GET /comfyui/history/{id}).</summary>
    public async Task<System.Text.Json.Nodes.JsonObject> HistoryAsync(string promptId)
    {
        using var http = new HttpClient { BaseAddress = Emulator.BaseAddress };
        var text = await http.GetStringAsync($"comfyui/history/{promptId}").DefaultTimeout();
        return System.Text.Json.Nodes.JsonNode.Parse(text)![promptId]!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
        await Emulator.DisposeAsync();
        var errors = Logs.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Unexpected error logs:" + Environment.NewLine +
                string.Join(Environment.NewLine, errors.Select(e => $"  {e.Category} [{e.EventName}] {e.Text}")));
        }
    }
}
