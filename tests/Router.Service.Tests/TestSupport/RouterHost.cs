using System.Collections.Concurrent;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.ImageGen.V1;
using Router.Service.Api;
using Router.Service.Http;
using Router.Service.Spool;
using Router.Service.Tests.Catalogue;

namespace Router.Service.Tests.TestSupport;

/// <summary>
/// Router.Service in-process on Kestrel (HTTP/1.1 and h2c on 127.0.0.1 port 0), registered and mapped by its own
/// extensions, with service discovery configuration pointing at the given adapter and storage addresses
/// (<c>services:{name}:grpc:0</c>, as the AppHost sets them). Disposing fails on unexpected Error-level logs.
/// </summary>
internal sealed class RouterHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LogSink _logs;
    private readonly TempDirectory _contentRoot;

    private RouterHost(WebApplication app, LogSink logs, TempDirectory contentRoot, string spoolDirectory, int httpPort, int grpcPort)
    {
        _app = app;
        _logs = logs;
        _contentRoot = contentRoot;
        SpoolDirectory = spoolDirectory;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}", new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024, MaxSendMessageSize = 64 * 1024 * 1024 });
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TestTimeouts.Default };
    }

    public GrpcChannel Channel { get; }

    public ImageGeneration.ImageGenerationClient Client => new(Channel);

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public string SpoolDirectory { get; }

    /// <summary>The quarantine folder the router resolved (<c>Router:Spool:QuarantineDirectory</c>, default next to the spool).</summary>
    public string QuarantineDirectory => Services.GetRequiredService<ImageSpool>().QuarantineDirectory;

    /// <summary>The quarantined entries' folders (absolute), oldest first.</summary>
    public IReadOnlyList<string> QuarantinedEntries() => Directory.Exists(QuarantineDirectory)
        ? [.. Directory.EnumerateDirectories(QuarantineDirectory).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal)]
        : [];

    public IReadOnlyList<LogSink.Entry> Logs => _logs.Entries;

    /// <summary>Event names of Error-level logs the test provokes on purpose.</summary>
    public HashSet<string> ExpectedErrors { get; } = [];

    /// <param name="adapter">Serves both <c>openai</c> and <c>openrouter</c> (unless <paramref name="settings"/> says otherwise).</param>
    /// <param name="storage">The storage gRPC address; null leaves storage unconfigured.</param>
    /// <param name="settings">Extra configuration, applied last.</param>
    public static async Task<RouterHost> StartAsync(Uri? adapter, Uri? storage, IDictionary<string, string?>? settings = null)
    {
        var contentRoot = new TempDirectory("router-host");
        var spool = Path.Combine(contentRoot.Path, "spool");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = contentRoot.Path, EnvironmentName = "Development" });
        var configuration = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:http:Protocols"] = "Http1",
            ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "",
            ["Catalogue:Path"] = TestCatalogue.ShippedDirectory,
            ["Catalogue:Watch"] = "false",
            ["Router:Spool:Directory"] = spool,
            ["Router:Spool:RetryInitialDelayMilliseconds"] = "50",
            ["Router:Spool:RetryMaxDelayMilliseconds"] = "250",
            ["Router:Generation:StorageCallTimeoutSeconds"] = "10",
        };
        if (adapter is not null)
        {
            configuration["services:openai:grpc:0"] = adapter.ToString();
            configuration["services:openrouter:grpc:0"] = adapter.ToString();
        }
        if (storage is not null)
        {
            configuration["services:storage:grpc:0"] = storage.ToString();
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(configuration);
        var logs = new LogSink();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        var listeners = new ConcurrentBag<ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listeners.Add));

        builder.AddServiceDefaults();
        builder.AddRouterServices();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapRouterApi();
        app.MapRouterHttpApi();
        await app.StartAsync().DefaultTimeout();

        var http = listeners.Single(l => l.Protocols == HttpProtocols.Http1).IPEndPoint!.Port;
        var grpc = listeners.Single(l => l.Protocols == HttpProtocols.Http2).IPEndPoint!.Port;
        return new RouterHost(app, logs, contentRoot, configuration["Router:Spool:Directory"]!, http, grpc);
    }

    /// <summary>Waits until an entry with event id <paramref name="eventId"/> (for <paramref name="runId"/>, when given) was logged.</summary>
    public Task WaitForLogAsync(int eventId, string? runId = null) =>
        TestTimeouts.WaitUntilAsync(() => Logs.Any(e => e.EventId.Id == eventId && (runId is null || e.Message.Contains(runId, StringComparison.Ordinal))));

    /// <summary>Committed spool entries (folders other than temporary ones and <c>rejected</c>).</summary>
    public IReadOnlyList<string> SpoolEntries() => Directory.Exists(SpoolDirectory)
        ? [.. Directory.EnumerateDirectories(SpoolDirectory).Select(Path.GetFileName).Where(n => n is not null && !n.StartsWith('.') && n != "rejected").Cast<string>()]
        : [];

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Http.Dispose();
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
        _contentRoot.Dispose();
        var errors = _logs.UnexpectedErrors(ExpectedErrors);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Unexpected router error logs:" + Environment.NewLine +
                string.Join(Environment.NewLine, errors.Select(e => $"  {e.Category} [{e.EventId.Name}] {e.Message} {e.Exception}")));
        }
    }
}
