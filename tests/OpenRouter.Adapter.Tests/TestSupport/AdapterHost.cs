using System.Collections.Concurrent;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Pipeline.Contracts.Provider.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Pipeline.Providers;
using Pipeline.ServiceDefaults.Grpc;
using ProviderEmulator;

namespace OpenRouter.Adapter.Tests.TestSupport;

/// <summary>
/// The provider emulator and OpenRouter.Adapter in-process: the adapter on Kestrel (HTTP/1.1 and HTTP/2 endpoints on
/// 127.0.0.1 port 0) with its real appsettings.json, registered and mapped exactly as Program.cs does, pointed at the
/// emulator, called through a grpc-dotnet client. Emulator faults travel as the adapter's configured extra header
/// <c>x-emulator-fault</c>. Disposing fails on unexpected Error-level logs.
/// </summary>
internal sealed class AdapterHost : IAsyncDisposable
{
    public const string ConfiguredKey = "sk-or-v1-configured-0123456789abcdef";
    public const string ChatPath = "/api/v1/chat/completions";

    private readonly WebApplication _app;

    private AdapterHost(WebApplication app, RunningEmulator emulator, LogSink logs, OutgoingRequests outgoing, int grpcPort)
    {
        _app = app;
        Emulator = emulator;
        Logs = logs;
        Outgoing = outgoing;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}", new GrpcChannelOptions { MaxReceiveMessageSize = 256 * 1024 * 1024 });
        Client = new ProviderAdapter.ProviderAdapterClient(Channel);
    }

    public RunningEmulator Emulator { get; }

    public LogSink Logs { get; }

    public OutgoingRequests Outgoing { get; }

    public GrpcChannel Channel { get; }

    public ProviderAdapter.ProviderAdapterClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Chat completion requests the emulator has seen start.</summary>
    public int ChatRequestsStarted => Emulator.Traffic.Events.Count(e => e.Kind == ProviderEmulator.Hosting.EmulatorEventKind.RequestStarted && e.Path == ChatPath);

    /// <param name="fault">Sent as x-emulator-fault on every provider request; null for none.</param>
    /// <param name="settings">Configuration overrides (keys like "OpenRouter:Retry:MaxRetries"). Retries are off unless set here.</param>
    /// <param name="emulatorOptions">The emulator's options (e.g. accepted keys).</param>
    public static async Task<AdapterHost> StartAsync(string? fault = null, IDictionary<string, string?>? settings = null, EmulatorOptions? emulatorOptions = null)
    {
        var emulator = await EmulatorHost.StartAsync(emulatorOptions ?? new EmulatorOptions()).DefaultTimeout();
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                ContentRootPath = AppContext.BaseDirectory,
                EnvironmentName = "Production",
                ApplicationName = typeof(OpenRouterAdapterExtensions).Assembly.GetName().Name,
            });
            var configuration = new Dictionary<string, string?>
            {
                ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
                ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
                ["OpenRouter:BaseUrl"] = emulator.OpenRouterEndpoint.ToString(),
                ["OpenRouter:ApiKey"] = ConfiguredKey,
                ["OpenRouter:Retry:MaxRetries"] = "0",
                ["OpenRouter:Retry:BaseDelay"] = "00:00:00.050",
            };
            if (fault is not null)
            {
                configuration["OpenRouter:Headers:x-emulator-fault"] = fault;
            }
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                configuration[key] = value;
            }
            // Only these sources: the adapter's own appsettings.json and the overrides (no environment keys leak in).
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "openrouter.appsettings.json"), optional: false);
            builder.Configuration.AddInMemoryCollection(configuration);
            var logs = new LogSink();
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(logs);
            var listeners = new ConcurrentBag<ListenOptions>();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listeners.Add));
            var outgoing = new OutgoingRequests();
            builder.Services.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler(outgoing.CreateHandler));

            builder.AddServiceDefaults();
            builder.AddOpenRouterAdapter();
            var app = builder.Build();
            app.MapDefaultEndpoints();
            app.MapProviderAdapter();
            await app.StartAsync().DefaultTimeout();

            var grpc = listeners.Single(l => l.Protocols == HttpProtocols.Http2).IPEndPoint!.Port;
            return new AdapterHost(app, emulator, logs, outgoing, grpc);
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs Generate to its end: every frame, and the status it ended with: OK (code 0), or the RpcException's rich status
    /// (google.rpc.Status with the details the adapter sent, or code and message alone for statuses the client made).
    /// </summary>
    public async Task<(List<ProviderFrame> Frames, Google.Rpc.Status Status)> GenerateAsync(ProviderRequest request, CallOptions? options = null)
    {
        var frames = new List<ProviderFrame>();
        try
        {
            using var call = Client.Generate(request, options ?? Requests.Deadline());
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
