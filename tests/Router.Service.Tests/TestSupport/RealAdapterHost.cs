using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenAI.Adapter;
using OpenRouter.Adapter;
using Pipeline.Providers;
using ProviderEmulator;

namespace Router.Service.Tests.TestSupport;

/// <summary>
/// A real provider adapter in-process (Kestrel, port 0, its shipped appsettings.json as content root, registered and
/// mapped as its Program.cs does) pointed at a ProviderEmulator. No adapter retries, so a provider failure reaches the
/// router at once. Disposing fails on unexpected Error-level logs.
/// </summary>
internal sealed class RealAdapterHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LogSink _logs;

    private RealAdapterHost(WebApplication app, LogSink logs, Uri address)
    {
        _app = app;
        _logs = logs;
        Address = address;
    }

    /// <summary>The adapter's h2c gRPC address.</summary>
    public Uri Address { get; }

    /// <summary>OpenAI.Adapter against the emulator's <c>/v1</c>.</summary>
    public static Task<RealAdapterHost> StartOpenAIAsync(RunningEmulator emulator) =>
        StartAsync("openai", OpenAIAdapterExtensions.SectionName, emulator.OpenAIEndpoint, builder => builder.AddOpenAIAdapter());

    /// <summary>OpenRouter.Adapter against the emulator's <c>/api/v1</c>.</summary>
    public static Task<RealAdapterHost> StartOpenRouterAsync(RunningEmulator emulator) =>
        StartAsync("openrouter", OpenRouterAdapterExtensions.SectionName, emulator.OpenRouterEndpoint, builder => builder.AddOpenRouterAdapter());

    private static async Task<RealAdapterHost> StartAsync(string folder, string section, Uri baseUrl, Action<WebApplicationBuilder> addAdapter)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = Path.Combine(AppContext.BaseDirectory, "adapters", folder),
            EnvironmentName = "Development",
            Args = [],
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "",
            [$"{section}:BaseUrl"] = baseUrl.AbsoluteUri,
            [$"{section}:ApiKey"] = "sk-router-end-to-end",
            ["OPENAI_API_KEY"] = "",
            ["OPENROUTER_API_KEY"] = "",
            [$"{section}:Retry:MaxRetries"] = "0",
        });
        var logs = new LogSink();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        var listeners = new ConcurrentBag<ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listeners.Add));

        builder.AddServiceDefaults();
        addAdapter(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapProviderAdapter();
        await app.StartAsync().DefaultTimeout();

        var grpc = listeners.Single(l => l.Protocols == HttpProtocols.Http2).IPEndPoint!.Port;
        return new RealAdapterHost(app, logs, new Uri($"http://127.0.0.1:{grpc}"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
        var errors = _logs.UnexpectedErrors(new HashSet<string>());
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Unexpected adapter error logs:" + Environment.NewLine +
                string.Join(Environment.NewLine, errors.Select(e => $"  {e.Category} [{e.EventId.Name}] {e.Message} {e.Exception}")));
        }
    }
}
