using System.Collections.Concurrent;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Pipeline.Contracts.Storage.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Storage.Service;
using Storage.Service.Http;
using StorageClient = Pipeline.Contracts.Storage.V1.Storage.StorageClient;

namespace Gateway.Tests.TestSupport;

/// <summary>
/// A real Storage.Service in-process on Kestrel (HTTP/1.1 and HTTP/2 on 127.0.0.1, port 0), registered by the
/// service's own extensions, with a fresh data folder.
/// </summary>
internal sealed class StorageBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _directory;
    private readonly LogSink _logs;

    private StorageBackend(WebApplication app, TempDirectory directory, LogSink logs, int httpPort, int grpcPort, ConcurrentQueue<RecordedCall> httpCalls)
    {
        HttpCalls = httpCalls;
        _app = app;
        _directory = directory;
        _logs = logs;
        HttpAddress = new Uri($"http://127.0.0.1:{httpPort}");
        GrpcAddress = new Uri($"http://127.0.0.1:{grpcPort}");
        Channel = GrpcChannel.ForAddress(GrpcAddress, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024, MaxSendMessageSize = 64 * 1024 * 1024 });
        Client = new StorageClient(Channel);
    }

    public Uri HttpAddress { get; }

    public Uri GrpcAddress { get; }

    public GrpcChannel Channel { get; }

    public StorageClient Client { get; }

    /// <summary>Every HTTP request storage received (e.g. <c>GET /images/{id}</c> through the gateway), with its headers.</summary>
    public ConcurrentQueue<RecordedCall> HttpCalls { get; }

    /// <summary>Service discovery entries for a service that references storage.</summary>
    public IReadOnlyDictionary<string, string?> Discovery => new Dictionary<string, string?>
    {
        ["services:storage:http:0"] = HttpAddress.ToString(),
        ["services:storage:grpc:0"] = GrpcAddress.ToString(),
    };

    public static async Task<StorageBackend> StartAsync()
    {
        var directory = new TempDirectory("gateway-tests-storage-");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = directory.Path, EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:http:Protocols"] = "Http1",
            ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
            ["Storage:DataDirectory"] = directory.Path,
        });
        var logs = new LogSink();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        var listeners = new ConcurrentBag<ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listeners.Add));

        builder.AddServiceDefaults();
        builder.AddStorageServices();
        var app = builder.Build();
        await app.InitializeStorageAsync().DefaultTimeout();
        var httpCalls = new ConcurrentQueue<RecordedCall>();
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/images"))
            {
                httpCalls.Enqueue(new RecordedCall($"{context.Request.Method} {context.Request.Path}", null,
                    context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null) { Headers = RecordedCall.Of(context.Request.Headers) });
            }
            return next(context);
        });
        app.MapDefaultEndpoints();
        app.MapStorageHttpApi();
        app.MapStorageGrpc();
        await app.StartAsync().DefaultTimeout();

        var http = listeners.Single(l => l.Protocols == HttpProtocols.Http1).IPEndPoint!.Port;
        var grpc = listeners.Single(l => l.Protocols == HttpProtocols.Http2).IPEndPoint!.Port;
        return new StorageBackend(app, directory, logs, http, grpc, httpCalls);
    }

    /// <summary>The stored bytes of <paramref name="imageId"/>, read over storage's own gRPC API.</summary>
    public async Task<byte[]> ReadImageAsync(string imageId)
    {
        using var call = Client.GetImage(new GetImageRequest { ImageId = imageId }, deadline: DateTime.UtcNow + TestTimeouts.Default);
        using var bytes = new MemoryStream();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync(TestTimeouts.Token()))
        {
            chunk.Data.WriteTo(bytes);
        }
        return bytes.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
        _logs.AssertNoUnexpectedErrors("Storage.Service", new HashSet<string>());
    }
}
