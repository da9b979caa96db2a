using System.Collections.Concurrent;
using Dashboard.Api;
using Dashboard.Otlp;
using Dashboard.Ui;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Dashboard.Tests.TestSupport;

/// <summary>
/// The dashboard in-process on Kestrel, its three endpoints (http, otlp-grpc, otlp-http) on 127.0.0.1 port 0, from
/// configuration as in production, registered and mapped as Program.cs does. Disposing fails on Error-level logs.
/// </summary>
internal sealed class DashboardHost : IAsyncDisposable
{
    private static readonly string[] EndpointNames = ["http", "otlp-grpc", "otlp-http"];

    private readonly WebApplication _app;
    private readonly LogSink _logs;

    private DashboardHost(WebApplication app, LogSink logs, IReadOnlyDictionary<string, Uri> endpoints)
    {
        _app = app;
        _logs = logs;
        Http = endpoints["http"];
        OtlpGrpc = endpoints["otlp-grpc"];
        OtlpHttp = endpoints["otlp-http"];
        Api = new HttpClient { BaseAddress = Http, Timeout = TestTimeouts.Default };
    }

    /// <summary>The UI and JSON API endpoint.</summary>
    public Uri Http { get; }

    /// <summary>The HTTP/2 endpoint for OTLP/gRPC.</summary>
    public Uri OtlpGrpc { get; }

    /// <summary>The HTTP/1.1 endpoint for OTLP/HTTP.</summary>
    public Uri OtlpHttp { get; }

    /// <summary>A client of <see cref="Http"/>.</summary>
    public HttpClient Api { get; }

    public IServiceProvider Services => _app.Services;

    public IReadOnlyList<LogSink.Entry> Logs => _logs.Entries;

    public static async Task<DashboardHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        var configuration = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:http:Protocols"] = "Http1",
            ["Kestrel:Endpoints:otlp-grpc:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:otlp-grpc:Protocols"] = "Http2",
            ["Kestrel:Endpoints:otlp-http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:otlp-http:Protocols"] = "Http1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(configuration);
        var logs = new LogSink();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        var listeners = new ConcurrentDictionary<string, ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var name in EndpointNames)
            {
                kestrel.ConfigurationLoader!.Endpoint(name, endpoint => listeners[name] = endpoint.ListenOptions);
            }
        });

        builder.AddDashboardServiceDefaults();
        builder.AddDashboardServices();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapOtlpIntake();
        app.MapDashboardApi();
        app.MapDashboardUi();
        await app.StartAsync().DefaultTimeout();

        return new DashboardHost(app, logs, EndpointNames.ToDictionary(n => n, n => new Uri($"http://127.0.0.1:{listeners[n].IPEndPoint!.Port}")));
    }

    /// <summary>GET <paramref name="path"/> as JSON.</summary>
    public async Task<T> GetAsync<T>(string path) =>
        (await Api.GetFromJsonAsync<T>(path, TestContext.Current.CancellationToken).DefaultTimeout())!;

    /// <summary>Polls <c>GET /api/traces/{traceId}</c> until the trace has <paramref name="spanCount"/> spans (exporters batch; nothing is instant).</summary>
    public Task<TraceView> WaitForTraceAsync(string traceId, int spanCount) =>
        PollAsync(async () =>
        {
            using var response = await Api.GetAsync($"/api/traces/{traceId}", TestContext.Current.CancellationToken);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<TraceView>(TestContext.Current.CancellationToken) : null;
        }, t => t.SpanCount >= spanCount, $"trace {traceId} with {spanCount} spans");

    /// <summary>Polls <paramref name="read"/> every 100 ms until <paramref name="done"/> holds, for at most the default timeout.</summary>
    public static async Task<T> PollAsync<T>(Func<Task<T?>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        T? last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await read().DefaultTimeout();
            if (last is not null && done(last))
            {
                return last;
            }
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"Timed out after {TestTimeouts.Default.TotalSeconds}s waiting for {what}; last: {last}");
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
        var errors = _logs.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Unexpected error logs:" + Environment.NewLine +
                string.Join(Environment.NewLine, errors.Select(e => $"  {e.Category} [{e.EventName}] {e.Message} {e.Exception}")));
        }
    }
}

/// <summary>Collects log entries in memory.</summary>
internal sealed class LogSink : ILoggerProvider
{
    public sealed record Entry(string Category, LogLevel Level, string? EventName, string Message, Exception? Exception);

    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(category, logLevel, eventId.Name, formatter(state, exception), exception));
    }
}
