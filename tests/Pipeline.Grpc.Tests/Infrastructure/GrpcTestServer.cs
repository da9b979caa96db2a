using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pipeline.Grpc.Tests.Infrastructure;

/// <summary>
/// An in-process gRPC server: Kestrel on 127.0.0.1, an HTTP/2-only endpoint on port 0 (and an HTTP/1.1 one), the
/// interop service, health and reflection mapped. Error-level logs are collected so tests can insist on none.
/// </summary>
public sealed class GrpcTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcTestServer(WebApplication app, Uri address, Uri http1Address, LogSink logs)
    {
        _app = app;
        Address = address;
        Http1Address = http1Address;
        Logs = logs;
    }

    /// <summary>The h2c endpoint, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; }

    /// <summary>An HTTP/1.1-only endpoint of the same app.</summary>
    public Uri Http1Address { get; }

    /// <summary>host:port of <see cref="Address"/>, as peers take it.</summary>
    public string Target => $"{Address.Host}:{Address.Port}";

    public IServiceProvider Services => _app.Services;

    public CallRecorder Recorder => _app.Services.GetRequiredService<CallRecorder>();

    public LogSink Logs { get; }

    /// <summary>Starts a server; <paramref name="configure"/> sets gRPC options, <paramref name="map"/> maps extra endpoints.</summary>
    public static async Task<GrpcTestServer> StartAsync(Action<GrpcServerOptions>? configure = null, Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var logs = new LogSink();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2);
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddGrpcServer(configure);
        builder.Services.AddSingleton<CallRecorder>();
        builder.Services.AddSingleton<InteropService>();
        var app = builder.Build();
        app.MapGrpcService(InteropGrpc.BindService());
        app.MapGrpcHealthService();
        app.MapGrpcReflectionService();
        map?.Invoke(app);
        await app.StartAsync().DefaultTimeout();

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a)).ToList();
        return new GrpcTestServer(app, addresses[0], addresses[1], logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await _app.DisposeAsync();
    }

    /// <summary>Collects log entries; tests assert on Error-level ones.</summary>
    public sealed class LogSink : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, string Category, string Message, Exception? Exception)> Entries { get; } = new();

        public IReadOnlyList<string> Errors => [.. Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}: {e.Message} {e.Exception}")];

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(LogSink sink, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                sink.Entries.Enqueue((logLevel, category, formatter(state, exception), exception));
        }
    }
}
