using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Options;
using Pipeline.Providers.Tests.TestSupport;

namespace Pipeline.Providers.Tests;

/// <summary>What <see cref="ProviderAdapterExtensions.AddProviderAdapter{TProvider}"/> registers for every adapter.</summary>
public sealed class ProviderAdapterExtensionsTests
{
    [Fact]
    public void AddProviderAdapter_ProviderHttpClient_NeverDrainsAnAbandonedResponse()
    {
        using var app = Build();

        HttpMessageHandler handler = app.Services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(nameof(ScriptedProvider));
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler!;
        }

        // Draining would let the provider finish (and bill) a response the caller abandoned; 0 closes the connection.
        Assert.Equal(0, Assert.IsType<SocketsHttpHandler>(handler).MaxResponseDrainSize);
    }

    [Fact]
    public void AddProviderAdapter_GrpcServer_AcceptsRequestsUpToTheRouterChannelLimit()
    {
        using var app = Build();

        var options = app.Services.GetRequiredService<IOptions<GrpcServiceOptions>>().Value;

        Assert.Equal(64 * 1024 * 1024, options.MaxReceiveMessageSize);
        Assert.Equal(ProviderAdapterExtensions.MaxRequestBytes, options.MaxReceiveMessageSize);
    }

    private static WebApplication Build()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Test:ApiKey"] = ServiceHost.Key });
        builder.Services.AddSingleton(new ProviderScript());
        builder.AddServiceDefaults();
        builder.AddProviderAdapter<ScriptedProvider>("Test", ServiceHost.Defaults);
        return builder.Build();
    }
}
