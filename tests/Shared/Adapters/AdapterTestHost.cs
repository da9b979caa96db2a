using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers;
using Pipeline.ServiceDefaults.Grpc;
using ProviderEmulator;

namespace Pipeline.Tests.Adapters;

/// <summary>
/// The provider emulator and one provider adapter in-process (tests/Shared/Adapters, compiled into each project that sets
/// UsesAdapterHost): the adapter on Kestrel (HTTP/1.1 and HTTP/2 endpoints on 127.0.0.1 port 0) with only its real
/// appsettings.json and the test's configuration (no environment variables leak in), registered and mapped exactly as its
/// Program.cs does, called through a grpc-dotnet client. Every log entry lands in <see cref="Logs"/> and every request the
/// adapter's HttpClients send in <see cref="Outgoing"/>. Disposing fails on unexpected Error-level logs.
/// Each project derives its own host with its defaults and convenience members.
/// </summary>
internal abstract class AdapterTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    protected AdapterTestHost(StartedAdapter started)
    {
        _app = started.App;
        Emulator = started.Emulator;
        Logs = started.Logs;
        Outgoing = started.Outgoing;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{started.GrpcPort}", new GrpcChannelOptions { MaxReceiveMessageSize = 256 * 1024 * 1024 });
        Client = new ProviderAdapter.ProviderAdapterClient(Channel);
    }

    public RunningEmulator Emulator { get; }

    public LogSink Logs { get; }

    public OutgoingRequests Outgoing { get; }

    public GrpcChannel Channel { get; }

    public ProviderAdapter.ProviderAdapterClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Error-level log event names the test expects; disposing fails on any other Error-level entry.</summary>
    public HashSet<string> ExpectedErrors { get; } = [];

    /// <summary>A call deadline <paramref name="timeout"/> from now (default <see cref="TestTimeouts.Default"/>).</summary>
    public static CallOptions Deadline(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        new(deadline: DateTime.UtcNow + (timeout ?? TestTimeouts.Default), cancellationToken: cancellationToken);

    /// <summary>The caller's own provider key in the call metadata, with a deadline (default <see cref="TestTimeouts.Default"/>).</summary>
    public static CallOptions WithKey(string key, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Deadline(timeout, cancellationToken).WithHeaders(new Metadata { { ProviderAdapter.ProviderKeyHeader, key } });

    /// <summary>Starts the emulator, then the adapter <paramref name="options"/> describes; <paramref name="create"/> wraps them.</summary>
    protected static async Task<THost> StartAdapterAsync<THost>(AdapterHostOptions options, Func<StartedAdapter, THost> create)
        where THost : AdapterTestHost
    {
        var emulator = await EmulatorHost.StartAsync(options.Emulator).DefaultTimeout();
        WebApplication? app = null;
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                ContentRootPath = AppContext.BaseDirectory,
                EnvironmentName = options.EnvironmentName,
                ApplicationName = options.ApplicationName,
            });
            var configuration = new Dictionary<string, string?>
            {
                ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
                ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
            };
            foreach (var (key, value) in options.Defaults(emulator).Concat(options.Settings ?? []))
            {
                configuration[key] = value;
            }
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, options.SettingsFile), optional: false);
            builder.Configuration.AddInMemoryCollection(configuration.Where(c => c.Value is not null));
            var logs = new LogSink();
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(logs);
            var listeners = new ConcurrentBag<ListenOptions>();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listeners.Add));
            var outgoing = new OutgoingRequests();
            builder.Services.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler(outgoing.CreateHandler));

            builder.AddServiceDefaults();
            options.AddAdapter(builder);
            app = builder.Build();
            app.MapDefaultEndpoints();
            app.MapProviderAdapter();
            await app.StartAsync().DefaultTimeout();

            var grpc = listeners.Single(l => l.Protocols == HttpProtocols.Http2).IPEndPoint!.Port;
            return create(new StartedAdapter(app, emulator, logs, outgoing, grpc));
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
            await emulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs Generate to its end: every frame, and the status it ended with: OK (code 0), or the RpcException's rich status
    /// (google.rpc.Status with the details the adapter sent, or code and message alone for statuses the client made).
    /// </summary>
    /// <param name="request">The request, sent as is.</param>
    /// <param name="options">Default: <see cref="Deadline"/>.</param>
    public async Task<(List<ProviderFrame> Frames, Google.Rpc.Status Status)> GenerateAsync(ProviderRequest request, CallOptions? options = null)
    {
        var frames = new List<ProviderFrame>();
        try
        {
            using var call = Client.Generate(request, options ?? Deadline());
            await foreach (var frame in call.ResponseStream.ReadAllAsync())
            {
                frames.Add(frame);
            }
            return (frames, new Google.Rpc.Status());
        }
        catch (RpcException ex)
        {
            return (frames, ex.ToRichStatus());
        }
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
        await Emulator.DisposeAsync();
        var unexpected = Logs.Entries
            .Where(e => e.Level >= LogLevel.Error && !ExpectedErrors.Contains(e.EventName ?? ""))
            .ToList();
        if (unexpected.Count > 0)
        {
            throw new InvalidOperationException("Unexpected error logs:" + Environment.NewLine +
                string.Join(Environment.NewLine, unexpected.Select(e => $"  {e.Category} [{e.EventName}] {e.Text}")));
        }
    }

    /// <summary>A started adapter and emulator, handed to the derived host's constructor.</summary>
    protected sealed record StartedAdapter(WebApplication App, RunningEmulator Emulator, LogSink Logs, OutgoingRequests Outgoing, int GrpcPort);
}
