using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Provider.V1;

namespace Router.Service.Tests.TestSupport;

/// <summary>
/// A test double of a provider adapter: a real <c>provider.v1.ProviderAdapter</c> gRPC server on Kestrel (h2c, port 0)
/// that records every call (request, deadline, metadata, whether it was cancelled) and plays a script per model.
/// Without a script a call produces the requested number of real images in the requested format.
/// </summary>
internal sealed class ScriptedAdapter : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly State _state;

    private ScriptedAdapter(WebApplication app, State state, Uri address)
    {
        _app = app;
        _state = state;
        Address = address;
    }

    /// <summary>The h2c address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; }

    /// <summary>Every call so far, in arrival order.</summary>
    public IReadOnlyList<AdapterCall> Calls
    {
        get
        {
            lock (_state.Calls)
            {
                return [.. _state.Calls];
            }
        }
    }

    public static async Task<ScriptedAdapter> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // No appsettings.json or environment: the test output folder holds the services' files with their fixed ports.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        var state = new State();
        builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = 64 * 1024 * 1024);
        builder.Services.AddSingleton(state);
        builder.Services.AddSingleton<Service>();
        var app = builder.Build();
        app.MapGrpcService<Service>();
        await app.StartAsync().DefaultTimeout();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ScriptedAdapter(app, state, new Uri(address));
    }

    /// <summary>Plays <paramref name="script"/> for every call for <paramref name="model"/> from now on.</summary>
    public void Script(string model, AdapterScript script) => _state.Scripts[model] = script;

    /// <summary>Waits for the <paramref name="count"/>-th call (1-based) and returns it.</summary>
    public async Task<AdapterCall> WaitForCallAsync(int count = 1)
    {
        await TestTimeouts.WaitUntilAsync(() => Calls.Count >= count);
        return Calls[count - 1];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }

    private sealed class State
    {
        public List<AdapterCall> Calls { get; } = [];

        public ConcurrentDictionary<string, AdapterScript> Scripts { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Service(State state) : ProviderAdapter.ProviderAdapterBase
    {
        public override async Task Generate(ProviderRequest request, IServerStreamWriter<ProviderFrame> responseStream, ServerCallContext context)
        {
            var call = new AdapterCall(request, context.Deadline, context.RequestHeaders, context.CancellationToken);
            lock (state.Calls)
            {
                state.Calls.Add(call);
            }
            var script = state.Scripts.GetValueOrDefault(request.Model) ?? AdapterScripts.Images();
            try
            {
                await script(call, responseStream, context.CancellationToken);
                call.Ended.TrySetResult(StatusCode.OK);
            }
            catch (RpcException ex)
            {
                call.Ended.TrySetResult(ex.StatusCode);
                throw;
            }
            catch (Exception) when (context.CancellationToken.IsCancellationRequested)
            {
                call.Ended.TrySetResult(StatusCode.Cancelled);
                throw;
            }
        }
    }
}

/// <summary>What a scripted adapter does for one call.</summary>
internal delegate Task AdapterScript(AdapterCall call, IServerStreamWriter<ProviderFrame> stream, CancellationToken cancellationToken);

/// <summary>One call the scripted adapter received.</summary>
internal sealed class AdapterCall
{
    private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AdapterCall(ProviderRequest request, DateTime deadline, Metadata headers, CancellationToken cancellationToken)
    {
        Request = request;
        Deadline = deadline;
        Headers = headers;
        ReceivedAt = DateTime.UtcNow;
        cancellationToken.Register(() => _cancelled.TrySetResult());
    }

    public ProviderRequest Request { get; }

    /// <summary>The call's deadline as the adapter's server saw it (<see cref="DateTime.MaxValue"/> for none).</summary>
    public DateTime Deadline { get; }

    public Metadata Headers { get; }

    public DateTime ReceivedAt { get; }

    /// <summary>Completes when the call's cancellation token fires (caller gone or deadline passed).</summary>
    public Task Cancelled => _cancelled.Task;

    /// <summary>Completes with the status the script ended with.</summary>
    public TaskCompletionSource<StatusCode> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
