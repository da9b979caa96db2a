using System.Collections.Concurrent;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Storage.Service.Configuration;
using Storage.Service.Http;
using StorageClient = Pipeline.Contracts.Storage.V1.Storage.StorageClient;

namespace Storage.Service.Tests.TestSupport;

/// <summary>
/// Storage.Service in-process on Kestrel: an HTTP/1.1 and an HTTP/2 endpoint on 127.0.0.1 port 0, from configuration
/// as in production, registered and mapped by the service's own extensions, on a <see cref="StorageBackend"/>.
/// Disposing fails on unexpected Error logs.
/// </summary>
internal sealed class StorageHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory? _ownedDirectory;
    private readonly LogSink _logs;

    private readonly string? _postgresDatabase;

    /// <summary>The PostgreSQL database this host's metadata is in (its own, or the primary's when a replica).</summary>
    private string? _sharedDatabase;

    private StorageHost(
        WebApplication app, StorageBackend backend, string dataDirectory, TempDirectory? ownedDirectory, string? postgresDatabase,
        LogSink logs, int httpPort, int grpcPort, string? bucket)
    {
        Bucket = bucket;
        _app = app;
        Backend = backend;
        _postgresDatabase = postgresDatabase;
        _ownedDirectory = ownedDirectory;
        _logs = logs;
        DataDirectory = dataDirectory;
        HttpClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TestTimeouts.Default };
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}", new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 256 * 1024 * 1024,
            MaxSendMessageSize = 256 * 1024 * 1024,
        });
        Client = new StorageClient(Channel);
    }

    public StorageBackend Backend { get; }

    public string DataDirectory { get; }

    public string BlobRoot => Path.Combine(DataDirectory, "blobs");

    /// <summary>The connection string of the metadata database on PostgreSQL; null on SQLite.</summary>
    public string? ConnectionString => _app.Configuration.GetConnectionString(PostgresOptions.ConnectionStringName);

    /// <summary>The blobs' bucket when started on S3; null on the file system.</summary>
    public string? Bucket { get; }

    public HttpClient HttpClient { get; }

    public GrpcChannel Channel { get; }

    public StorageClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Error-level log event names the test expects (not failures).</summary>
    public HashSet<string> ExpectedErrors { get; } = [];

    /// <summary>
    /// Starts the service on <paramref name="backend"/> (PostgreSQL: a fresh database on the shared server, dropped on
    /// dispose; S3: a fresh bucket of the shared s3rver, <see cref="Bucket"/>, which <paramref name="settings"/> may
    /// replace); <paramref name="time"/> replaces the system clock when given.
    /// </summary>
    public static Task<StorageHost> StartAsync(
        StorageBackend backend, IDictionary<string, string?>? settings = null, string? dataDirectory = null, TimeProvider? time = null) =>
        StartAsync(backend, settings, dataDirectory, time, sharing: null);

    /// <summary>
    /// A second storage process on <paramref name="primary"/>'s PostgreSQL database and bucket (a replica), with its own
    /// data folder and <paramref name="settings"/>; the database stays the primary's to drop.
    /// </summary>
    public static Task<StorageHost> StartReplicaAsync(StorageHost primary, IDictionary<string, string?>? settings = null) =>
        StartAsync(primary.Backend, settings, dataDirectory: null, time: null, sharing: primary);

    private static async Task<StorageHost> StartAsync(
        StorageBackend backend, IDictionary<string, string?>? settings, string? dataDirectory, TimeProvider? time, StorageHost? sharing)
    {
        var s3 = backend.Blobs == BlobStoreKind.S3 ? await SharedServer<S3Server>.GetAsync().WithTimeout(TestTimeouts.ServerStart) : null;
        var owned = dataDirectory is null ? new TempDirectory() : null;
        var directory = dataDirectory ?? owned!.Path;
        string? postgresDatabase = null;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = directory, EnvironmentName = "Development" });
        var configuration = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:http:Protocols"] = "Http1",
            ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
            ["Storage:DataDirectory"] = directory,
            ["Storage:MetadataBackend"] = backend.Metadata.ToString(),
        };
        if (backend.Metadata == MetadataBackend.Postgres)
        {
            var server = await SharedServer<PostgresServer>.GetAsync().WithTimeout(TestTimeouts.ServerStart);
            postgresDatabase = sharing is null ? await server.CreateDatabaseAsync("storage").DefaultTimeout() : null;
            configuration["ConnectionStrings:" + PostgresOptions.ConnectionStringName] = server.ConnectionString(postgresDatabase ?? sharing!._sharedDatabase!);
        }
        foreach (var (key, value) in s3?.StorageSettings(sharing?.Bucket ?? S3Server.NewBucketName()) ?? [])
        {
            configuration[key] = value;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }
        var bucket = s3 is null ? null : configuration["Storage:S3:Bucket"];
        builder.Configuration.AddInMemoryCollection(configuration);
        var logs = new LogSink();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        var listeners = new ConcurrentBag<ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listeners.Add));

        builder.AddServiceDefaults();
        builder.AddStorageServices();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }
        var app = builder.Build();
        await app.InitializeStorageAsync().DefaultTimeout();
        app.MapDefaultEndpoints();
        app.MapStorageHttpApi();
        app.MapStorageGrpc();
        await app.StartAsync().DefaultTimeout();

        var http = listeners.Single(l => l.Protocols == HttpProtocols.Http1).IPEndPoint!.Port;
        var grpc = listeners.Single(l => l.Protocols == HttpProtocols.Http2).IPEndPoint!.Port;
        return new StorageHost(app, backend, directory, owned, postgresDatabase, logs, http, grpc, bucket)
        {
            _sharedDatabase = postgresDatabase ?? sharing?._sharedDatabase,
        };
    }

    public IReadOnlyList<LogSink.Entry> Logs => _logs.Entries;

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        HttpClient.Dispose();
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_postgresDatabase is not null)
        {
            var server = await SharedServer<PostgresServer>.GetAsync().WithTimeout(TestTimeouts.ServerStart);
            await server.DropDatabaseAsync(_postgresDatabase).DefaultTimeout();
        }
        _ownedDirectory?.Dispose();
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
