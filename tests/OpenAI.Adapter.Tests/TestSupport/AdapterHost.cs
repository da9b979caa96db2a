using System.Collections.Concurrent;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers;
using ProviderEmulator;

namespace OpenAI.Adapter.Tests.TestSupport;

/// <summary>
/// A ProviderEmulator and the OpenAI adapter in-process: the adapter on Kestrel (HTTP/1.1 and HTTP/2 endpoints on
/// 127.0.0.1 port 0) with its shipped appsettings.json as content root, registered and mapped exactly as Program.cs does,
/// pointed at the emulator. Tests call it through a grpc-dotnet client. Disposing fails on unexpected Error logs.
/// </summary>
internal sealed class AdapterHost : IAsyncDisposable
{
    /// <summary>The key the adapter is configured with (the emulator accepts any key unless told otherwise).</summary>
    public const string ConfiguredKey = "sk-test-configured-0123456789";

    private readonly WebApplication _app;
    private readonly LogSink _logs;

    private AdapterHost(WebApplication app, RunningEmulator emulator, LogSink logs, int grpcPort)
    {
        _app = app;
        _logs = logs;
        Emulator = emulator;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}", new GrpcChannelOptions { MaxReceiveMessageSize = 256 * 1024 * 1024 });
        Client = new ProviderAdapter.ProviderAdapterClient(Channel);
    }

    public RunningEmulator Emulator { get; }

    public GrpcChannel Channel { get; }

    public ProviderAdapter.ProviderAdapterClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public IReadOnlyList<LogSink.Entry> Logs => _logs.Entries;

    /// <summary>Error-level log event names the test expects.</summary>
    public HashSet<string> ExpectedErrors { get; } = [];

    /// <summary>
    /// Starts an emulator (instance-wide <paramref name="faults"/>, header syntax; <paramref name="emulatorKeys"/> = the only keys
    /// it accepts) and the adapter. Defaults for the adapter: the emulator's /v1 as BaseUrl, <see cref="ConfiguredKey"/>, no
    /// retries (tests of retries turn them on), downloads from loopback allowed (the emulator serves DALL·E URLs).
    /// <paramref name="settings"/> override any of these.
    /// </summary>
    public static async Task<AdapterHost> StartAsync(string faults = "", IDictionary<string, string?>? settings = null, IReadOnlyList<string>? emulatorKeys = null)
    {
        var emulator = await EmulatorHost.StartAsync(new EmulatorOptions
        {
            Faults = new EmulatorFaultOptions { Default = faults },
            ApiKeys = emulatorKeys ?? [],
        }).DefaultTimeout();
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                ContentRootPath = Path.Combine(AppContext.BaseDirectory, "adapter"),
                EnvironmentName = "Development",
                Args = [],
            });
            var configuration = new Dictionary<string, string?>
            {
                ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
                ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
                ["OpenAI:BaseUrl"] = emulator.OpenAIEndpoint.AbsoluteUri,
                ["OpenAI:ApiKey"] = ConfiguredKey,
                ["OPENAI_API_KEY"] = "",
                ["OpenAI:Retry:MaxRetries"] = "0",
                ["OpenAI:Retry:BaseDelay"] = "00:00:00.050",
                ["OpenAI:Download:AllowPrivateNetworks"] = "true",
                ["Logging:LogLevel:Default"] = "Debug",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                configuration[key] = value;
            }
            builder.Configuration.AddInMemoryCollection(configuration);
            var logs = new LogSink();
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            var listeners = new ConcurrentBag<ListenOptions>();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listeners.Add));

            builder.AddServiceDefaults();
            builder.AddOpenAIAdapter();
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

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
        await Emulator.DisposeAsync();
        var unexpected = _logs.Entries
            .Where(e => e.Level >= LogLevel.Error && !ExpectedErrors.Contains(e.EventName ?? ""))
            .ToList();
        if (unexpected.Count > 0)
        {
            throw new InvalidOperationException("Unexpected error logs:" + Environment.NewLine +
                string.Join(Environment.NewLine, unexpected.Select(e => $"  {e.Category} [{e.EventName}] {e.Message} {e.Exception}")));
        }
    }
}
