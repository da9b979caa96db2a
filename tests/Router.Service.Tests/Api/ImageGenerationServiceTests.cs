using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Grpc;
using Router.Service.Api;
using Router.Service.Catalogue;
using Router.Service.Tests.Catalogue;

namespace Router.Service.Tests.Api;

/// <summary>The router's public gRPC API, served in-process on Kestrel and called through our gRPC client.</summary>
public sealed class ImageGenerationServiceTests : IAsyncLifetime
{
    private WebApplication? _app;
    private GrpcChannel? _channel;

    private ImageGenerationGrpc.ImageGenerationClient Client => new(_channel!);

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Catalogue:Path"] = TestCatalogue.ShippedDirectory,
            ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "",
        });
        var listeners = new ConcurrentBag<ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listeners.Add));
        builder.AddServiceDefaults();
        builder.AddCatalogue();
        _app = builder.Build();
        _app.MapDefaultEndpoints();
        _app.MapRouterApi();
        await _app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var grpcPort = listeners.Single(l => l.Protocols == HttpProtocols.Http2).IPEndPoint!.Port;
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task ListConfigs_ShippedCatalogue_ReturnsEveryConfigAndTheModeDefaults()
    {
        var expected = CatalogueLoader.LoadOrThrow(TestCatalogue.ShippedDirectory);

        var response = await Client.ListConfigsAsync(new ListConfigsRequest(), CallOptions.WithTimeout(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken))
            .WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);

        Assert.Equal(expected.Configs.Keys, response.Configs.Select(c => c.Name));
        Assert.Equal(expected.Defaults["image"]["fast"], response.Defaults["image"].Modes["fast"]);
        var highQuality = response.Configs.Single(c => c.Name == "gpt-image-1_highquality");
        var definition = expected.Configs["gpt-image-1_highquality"];
        Assert.Equal(("openai", "gpt-image-1", "generate"), (highQuality.Provider, highQuality.Model, highQuality.Operation));
        Assert.Equal(definition.Parameters.Quality, highQuality.Parameters.Fields["quality"].StringValue);
        Assert.Equal(definition.TimeoutSeconds, highQuality.TimeoutSeconds);
    }

    [Fact]
    public async Task ListConfigs_GermanLanguage_ReturnsGermanNamesAndEveryTranslation()
    {
        var expected = CatalogueLoader.LoadOrThrow(TestCatalogue.ShippedDirectory).Configs.Values
            .First(c => c.DisplayNames.TryGetValue("de", out var de) && de != c.DisplayNames["en"]);

        var response = await Client.ListConfigsAsync(new ListConfigsRequest { Language = "de-DE" }, CallOptions.WithTimeout(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken))
            .WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);

        var config = response.Configs.Single(c => c.Name == expected.Name);
        Assert.Equal(expected.DisplayNames["de"], config.DisplayName);
        Assert.NotEqual(expected.DisplayNames["en"], config.DisplayName);
        Assert.Equal(expected.DisplayNames["en"], config.Names["en"]);
    }

    [Fact]
    public async Task ListConfigs_UnknownMediaType_ReturnsNoConfigs()
    {
        var response = await Client.ListConfigsAsync(new ListConfigsRequest { MediaType = "video" }, CallOptions.WithTimeout(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken))
            .WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);

        Assert.Empty(response.Configs);
        Assert.Empty(response.Defaults);
    }
}
