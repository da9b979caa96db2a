using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Pipeline.Contracts.Provider.V1;
using Pipeline.ServiceDefaults.Grpc;
using RpcStatus = Google.Rpc.Status;

namespace Pipeline.Providers.Tests.TestSupport;

/// <summary>
/// The ProviderAdapter gRPC service in-process on Kestrel (HTTP/2, port 0) around a <see cref="ScriptedProvider"/>, registered
/// with <see cref="ProviderAdapterExtensions.AddProviderAdapter{TProvider}"/> and called through our gRPC client.
/// </summary>
internal sealed class ServiceHost : IAsyncDisposable
{
    public const string Key = "sk-test-configured-key-0123456789";
    public static readonly ProviderDefaults Defaults = new("testprovider", new Uri("https://api.example.com/v1"), "TESTPROVIDER_API_KEY");

    private readonly WebApplication _app;

    private ServiceHost(WebApplication app, ProviderScript script, int port)
    {
        _app = app;
        Script = script;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        Client = new ProviderAdapter.ProviderAdapterClient(Channel);
    }

    public ProviderScript Script { get; }

    public GrpcChannel Channel { get; }

    public ProviderAdapter.ProviderAdapterClient Client { get; }

    public static async Task<ServiceHost> StartAsync(ProviderScript script, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        var configuration = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
            ["Test:ApiKey"] = Key,
            ["Test:Retry:MaxRetries"] = "2",
            ["Test:Retry:BaseDelay"] = "00:00:00.010",
            ["Test:Models:0:Id"] = "gpt-image-1",
            ["Test:Models:0:DisplayName"] = "GPT Image 1",
            ["Test:Models:0:Operations:0"] = "generate",
            ["Test:Models:0:Operations:1"] = "edit",
            ["Test:Models:0:Sizes:0"] = "1024x1024",
            ["Test:Models:0:OutputFormats:0"] = "png",
            ["Test:Models:0:Qualities:0"] = "high",
            ["Test:Models:0:MaxN"] = "4",
            ["Test:Models:0:SupportsPartialImages"] = "true",
            ["Test:Models:0:Prices:0:Size"] = "1024x1024",
            ["Test:Models:0:Prices:0:Quality"] = "high",
            ["Test:Models:0:Prices:0:UsdPerImage"] = "0.167",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.ClearProviders();
        var listeners = new ConcurrentBag<ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listeners.Add));
        builder.Services.AddSingleton(script);

        builder.AddServiceDefaults();
        builder.AddProviderAdapter<ScriptedProvider>("Test", Defaults);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapProviderAdapter();
        await app.StartAsync().DefaultTimeout();
        return new ServiceHost(app, script, listeners.Single().IPEndPoint!.Port);
    }

    /// <summary>Call options with a deadline of <see cref="TestTimeouts.Default"/> from now.</summary>
    public static CallOptions Timeout(Metadata? headers = null, CancellationToken cancellationToken = default) =>
        new(headers: headers, deadline: DateTime.UtcNow + TestTimeouts.Default, cancellationToken: cancellationToken);

    /// <summary>Runs Generate to its end: every frame, and the status it ended with, with the details the server sent.</summary>
    public async Task<(List<ProviderFrame> Frames, RpcStatus Status)> GenerateAsync(ProviderRequest request, CallOptions? options = null)
    {
        var frames = new List<ProviderFrame>();
        try
        {
            using var call = Client.Generate(request, options ?? Timeout());
            await foreach (var frame in call.ResponseStream.ReadAllAsync())
            {
                frames.Add(frame);
            }
            return (frames, new RpcStatus { Code = (int)StatusCode.OK });
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
    }
}
