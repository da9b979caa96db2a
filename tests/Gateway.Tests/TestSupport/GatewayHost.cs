using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Gateway.OpenAI;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Tests.TestSupport;

/// <summary>
/// The gateway in-process on Kestrel (HTTP/1.1 and h2c on 127.0.0.1, port 0), built by its own registration code from
/// the service discovery entries it is given — a fake router today, the real fleet in fleet tests. Disposing fails on
/// unexpected Error logs.
/// </summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _contentRoot;

    private GatewayHost(WebApplication app, TempDirectory contentRoot, LogSink logs, int httpPort, int grpcPort)
    {
        _app = app;
        _contentRoot = contentRoot;
        Logs = logs;
        HttpAddress = new Uri($"http://127.0.0.1:{httpPort}");
        GrpcAddress = new Uri($"http://127.0.0.1:{grpcPort}");
    }

    public Uri HttpAddress { get; }

    public Uri GrpcAddress { get; }

    public LogSink Logs { get; }

    /// <summary>The gateway's services (to check what it was built with).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Error-level log event names the test expects.</summary>
    public HashSet<string> ExpectedErrors { get; } = [];

    /// <param name="discovery">The <c>services:{name}:{endpoint}:0</c> entries (router grpc/http, storage http).</param>
    /// <param name="settings">Further configuration (e.g. <c>Gateway:ApiKeys:0</c>, rate limits).</param>
    /// <param name="environment">The host environment: Production by default; the AppHost runs services in Development.</param>
    /// <param name="time">The gateway's clock (rate-limit windows, catalogue cache); the system clock by default.</param>
    public static async Task<GatewayHost> StartAsync(IEnumerable<KeyValuePair<string, string?>> discovery, IEnumerable<KeyValuePair<string, string?>> settings,
        string environment = "Production", TimeProvider? time = null)
    {
        var contentRoot = new TempDirectory("gateway-tests-content-");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ImageGenerationHandler).Assembly.GetName().Name,
            ContentRootPath = contentRoot.Path,
            // The page travels with the gateway's build output (and so into this test project's output).
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
            EnvironmentName = environment,
        });
        var configuration = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:http:Protocols"] = "Http1",
            ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
        };
        foreach (var (key, value) in discovery.Concat(settings))
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
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }
        builder.AddGatewayServices();
        var app = builder.Build();
        app.UseGatewayMiddleware();
        app.MapDefaultEndpoints();
        app.MapOpenAIApi();
        app.MapGatewayProxy();
        await app.StartAsync().DefaultTimeout();

        var http = listeners.Single(l => l.Protocols == HttpProtocols.Http1).IPEndPoint!.Port;
        var grpc = listeners.Single(l => l.Protocols == HttpProtocols.Http2).IPEndPoint!.Port;
        return new GatewayHost(app, contentRoot, logs, http, grpc);
    }

    /// <summary>An HTTP client for the gateway's HTTP endpoint, sending <paramref name="apiKey"/> as a bearer token when given.</summary>
    public HttpClient CreateClient(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = HttpAddress, Timeout = TestTimeouts.Default };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
        _contentRoot.Dispose();
        Logs.AssertNoUnexpectedErrors("gateway", ExpectedErrors);
    }
}
