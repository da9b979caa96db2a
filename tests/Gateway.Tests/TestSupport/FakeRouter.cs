using System.Collections.Concurrent;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Tests.TestSupport;

/// <summary>
/// A scriptable stand-in for Router.Service while the real one is being built: the public gRPC service and the HTTP
/// API on Kestrel (127.0.0.1, port 0), recording every call (<see cref="Calls"/>) and playing <see cref="Script"/>.
/// Images it "generates" are stored in a real Storage.Service. A test double for the gateway's own behaviour.
/// </summary>
internal sealed class FakeRouter : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LogSink _logs;

    private FakeRouter(WebApplication app, LogSink logs, int httpPort, int grpcPort)
    {
        _app = app;
        _logs = logs;
        HttpAddress = new Uri($"http://127.0.0.1:{httpPort}");
        GrpcAddress = new Uri($"http://127.0.0.1:{grpcPort}");
    }

    public Uri HttpAddress { get; }

    public Uri GrpcAddress { get; }

    public FakeRouterScript Script => _app.Services.GetRequiredService<FakeRouterScript>();

    public CallLog Calls => _app.Services.GetRequiredService<CallLog>();

    /// <summary>Service discovery entries for a service that references the router.</summary>
    public IReadOnlyDictionary<string, string?> Discovery => new Dictionary<string, string?>
    {
        ["services:router:http:0"] = HttpAddress.ToString(),
        ["services:router:grpc:0"] = GrpcAddress.ToString(),
    };

    public static async Task<FakeRouter> StartAsync(StorageBackend storage)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:http:Protocols"] = "Http1",
            ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
        });
        var logs = new LogSink();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        var listeners = new ConcurrentBag<ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listeners.Add));
        builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = 64 * 1024 * 1024);
        builder.Services.AddSingleton(storage);
        builder.Services.AddSingleton<FakeRouterScript>();
        builder.Services.AddSingleton<CallLog>();
        builder.Services.AddSingleton<FakeGeneration>();
        builder.Services.AddSingleton<FakeImageGenerationService>();

        var app = builder.Build();
        app.MapGrpcService<FakeImageGenerationService>();
        FakeRouterHttpApi.Map(app);
        await app.StartAsync().DefaultTimeout();

        var http = listeners.Single(l => l.Protocols == HttpProtocols.Http1).IPEndPoint!.Port;
        var grpc = listeners.Single(l => l.Protocols == HttpProtocols.Http2).IPEndPoint!.Port;
        return new FakeRouter(app, logs, http, grpc);
    }

    /// <summary>Puts the script back to its defaults and forgets the calls (between tests sharing one router).</summary>
    public void Reset()
    {
        var script = Script;
        script.Catalogue = FakeCatalogue.Create();
        script.FailBeforeAccepted = null;
        script.FailAfterPartials = null;
        script.HoldBeforeFinal = null;
        script.DieAfterFrames = null;
        script.PartialDelay = TimeSpan.Zero;
        script.RevisedPrompt = "";
        script.ImageSize = 48;
        script.FallbackTo = null;
        Calls.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
        _logs.AssertNoUnexpectedErrors("fake router", new HashSet<string>());
    }
}
