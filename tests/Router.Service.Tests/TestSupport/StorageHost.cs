using System.Collections.Concurrent;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Storage.Service;
using Storage.Service.Http;
using StorageClient = Pipeline.Contracts.Storage.V1.Storage.StorageClient;

namespace Router.Service.Tests.TestSupport;

/// <summary>
/// The real Storage.Service in-process on Kestrel (HTTP/1.1 and h2c endpoints on 127.0.0.1), registered and mapped by
/// its own extensions, over a data folder the test owns. It can be stopped and started again on the same folder and
/// the same ports (the router's channel keeps pointing at the same address).
/// </summary>
internal sealed class StorageHost : IAsyncDisposable
{
    private readonly LogSink _logs = new();
    private WebApplication? _app;

    private StorageHost(string dataDirectory, IDictionary<string, string?>? settings)
    {
        DataDirectory = dataDirectory;
        Settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
    }

    public string DataDirectory { get; }

    /// <summary>Extra configuration (e.g. <c>Storage:MaxImageBytes</c>), applied last at every (re)start; change it between a stop and a start.</summary>
    public Dictionary<string, string?> Settings { get; }

    public int HttpPort { get; private set; }

    public int GrpcPort { get; private set; }

    public Uri GrpcAddress => new($"http://127.0.0.1:{GrpcPort}");

    public HttpClient Http { get; } = new() { Timeout = TestTimeouts.Default };

    public GrpcChannel? Channel { get; private set; }

    public StorageClient Client => new(Channel ?? throw new InvalidOperationException("storage is stopped"));

    public IReadOnlyList<LogSink.Entry> Logs => _logs.Entries;

    public static async Task<StorageHost> StartAsync(string dataDirectory, IDictionary<string, string?>? settings = null)
    {
        var host = new StorageHost(dataDirectory, settings);
        await host.StartAsync();
        return host;
    }

    /// <summary>(Re)starts on the data folder; after the first start, on the same ports.</summary>
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = DataDirectory, EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:http:Url"] = $"http://127.0.0.1:{HttpPort}",
            ["Kestrel:Endpoints:http:Protocols"] = "Http1",
            ["Kestrel:Endpoints:grpc:Url"] = $"http://127.0.0.1:{GrpcPort}",
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
            ["Storage:DataDirectory"] = DataDirectory,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "",
        });
        builder.Configuration.AddInMemoryCollection(Settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(_logs);
        var listeners = new ConcurrentBag<ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listeners.Add));
        builder.AddServiceDefaults();
        builder.AddStorageServices();
        var app = builder.Build();
        await app.InitializeStorageAsync().DefaultTimeout();
        app.MapDefaultEndpoints();
        app.MapStorageHttpApi();
        app.MapStorageGrpc();
        await app.StartAsync().DefaultTimeout();
        _app = app;
        HttpPort = listeners.Single(l => l.Protocols == HttpProtocols.Http1).IPEndPoint!.Port;
        GrpcPort = listeners.Single(l => l.Protocols == HttpProtocols.Http2).IPEndPoint!.Port;
        Http.BaseAddress ??= new Uri($"http://127.0.0.1:{HttpPort}");
        Channel = GrpcChannel.ForAddress(GrpcAddress, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024, MaxSendMessageSize = 64 * 1024 * 1024 });
    }

    /// <summary>Stops the service (its ports close; the data folder stays).</summary>
    public async Task StopAsync()
    {
        Channel?.Dispose();
        Channel = null;
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync().DefaultTimeout();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
        var errors = _logs.UnexpectedErrors(new HashSet<string>());
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Unexpected storage error logs:" + Environment.NewLine +
                string.Join(Environment.NewLine, errors.Select(e => $"  {e.Category} [{e.EventId.Name}] {e.Message} {e.Exception}")));
        }
    }
}
