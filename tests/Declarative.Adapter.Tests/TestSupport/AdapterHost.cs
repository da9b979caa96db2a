using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenRouter.Adapter.Tests.TestSupport;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers;
using Pipeline.ServiceDefaults.Grpc;
using ProviderEmulator;
using ProviderEmulator.Hosting;

namespace Declarative.Adapter.Tests.TestSupport;

/// <summary>
/// The provider emulator and Declarative.Adapter in-process: the adapter on Kestrel (port 0) with its real appsettings.json,
/// registered and mapped exactly as Program.cs does, with <c>Declarative:EmulatorUrl</c> pointing at the emulator (so chunks
/// whose secrets are not configured go there), downloads from loopback allowed, a fast poll interval and no retries.
/// Disposing fails on unexpected Error-level logs.
/// </summary>
internal sealed class AdapterHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AdapterHost(WebApplication app, RunningEmulator emulator, LogSink logs, OutgoingRequests outgoing, int grpcPort)
    {
        _app = app;
        Emulator = emulator;
        Logs = logs;
        Outgoing = outgoing;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}", new GrpcChannelOptions { MaxReceiveMessageSize = 256 * 1024 * 1024 });
        Client = new ProviderAdapter.ProviderAdapterClient(Channel);
    }

    public RunningEmulator Emulator { get; }

    public LogSink Logs { get; }

    public OutgoingRequests Outgoing { get; }

    public GrpcChannel Channel { get; }

    public ProviderAdapter.ProviderAdapterClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="settings">Configuration overrides; a null value removes a default (e.g. "Declarative:EmulatorUrl").</param>
    public static async Task<AdapterHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var emulator = await EmulatorHost.StartAsync(new EmulatorOptions()).DefaultTimeout();
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                ContentRootPath = AppContext.BaseDirectory,
                EnvironmentName = "Production",
                ApplicationName = typeof(DeclarativeAdapterExtensions).Assembly.GetName().Name,
            });
            var configuration = new Dictionary<string, string?>
            {
                ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
                ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
                ["Declarative:EmulatorUrl"] = emulator.BaseAddress.ToString(),
                ["Declarative:Download:AllowPrivateNetworks"] = "true",
                ["Declarative:PollInterval"] = "00:00:00.020",
                ["Declarative:Retry:MaxRetries"] = "0",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                configuration[key] = value;
            }
            // Only these sources: the adapter's own appsettings.json and the overrides (no environment variables leak in).
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "declarative.appsettings.json"), optional: false);
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
            builder.AddDeclarativeAdapter();
            var app = builder.Build();
            app.MapDefaultEndpoints();
            app.MapProviderAdapter();
            await app.StartAsync().DefaultTimeout();

            var grpc = listeners.Single(l => l.Protocols == HttpProtocols.Http2).IPEndPoint!.Port;
            return new AdapterHost(app, emulator, logs, outgoing, grpc);
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>Requests the emulator saw start on a path beginning with <paramref name="prefix"/>.</summary>
    public IReadOnlyList<EmulatorEvent> Started(string prefix) =>
        [.. Emulator.Traffic.Events.Where(e => e.Kind == EmulatorEventKind.RequestStarted && e.Path.StartsWith(prefix, StringComparison.Ordinal))];

    /// <summary>Runs Generate to its end: every frame, and the status it ended with (OK, or the rich status of the failure).</summary>
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

    /// <summary>A call deadline <paramref name="timeout"/> from now (default <see cref="TaskTimeouts.Default"/>).</summary>
    public static CallOptions Deadline(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        new(deadline: DateTime.UtcNow + (timeout ?? TaskTimeouts.Default), cancellationToken: cancellationToken);

    /// <summary>The caller's own provider key in the call metadata.</summary>
    public static CallOptions WithKey(string key) => Deadline().WithHeaders(new Metadata { { ProviderAdapter.ProviderKeyHeader, key } });

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
        await Emulator.DisposeAsync();
        var errors = Logs.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Unexpected error logs:" + Environment.NewLine +
                string.Join(Environment.NewLine, errors.Select(e => $"  {e.Category} [{e.EventName}] {e.Text}")));
        }
    }
}
