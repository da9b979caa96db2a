using Grpc.Core;
using Pipeline.Contracts.ImageGen.V1;
using Router.Service.Catalogue;
using Router.Service.Tests.Catalogue;
using Router.Service.Tests.TestSupport;

namespace Router.Service.Tests.Api;

/// <summary>The router's public gRPC API besides Generate: ListConfigs from the catalogue, GetRun from storage.</summary>
public sealed class ImageGenerationServiceTests : IAsyncLifetime
{
    private TestFleet _fleet = null!;

    private ImageGeneration.ImageGenerationClient Client => _fleet.Client;

    public async ValueTask InitializeAsync() => _fleet = await TestFleet.StartAsync();

    public async ValueTask DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task ListConfigs_ShippedCatalogue_ReturnsEveryConfigAndTheModeDefaults()
    {
        var expected = CatalogueLoader.LoadOrThrow(TestCatalogue.ShippedDirectory);

        var response = await Client.ListConfigsAsync(new ListConfigsRequest()).DefaultTimeout();

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

        var response = await Client.ListConfigsAsync(new ListConfigsRequest { Language = "de-DE" }).DefaultTimeout();

        var config = response.Configs.Single(c => c.Name == expected.Name);
        Assert.Equal(expected.DisplayNames["de"], config.DisplayName);
        Assert.NotEqual(expected.DisplayNames["en"], config.DisplayName);
        Assert.Equal(expected.DisplayNames["en"], config.Names["en"]);
    }

    [Fact]
    public async Task ListConfigs_UnknownMediaType_ReturnsNoConfigs()
    {
        var response = await Client.ListConfigsAsync(new ListConfigsRequest { MediaType = "video" }).DefaultTimeout();

        Assert.Empty(response.Configs);
        Assert.Empty(response.Defaults);
    }

    [Fact]
    public async Task GetRun_GeneratedRun_ReturnsItWithItsImagesFromStorage()
    {
        var generated = (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "two boats", Config = "gpt-image-1", RunId = "boats-1", Parameters = new() { N = 2 } })).EnsureOk();

        var run = await Client.GetRunAsync(new GetRunRequest { RunId = "boats-1" }).DefaultTimeout();

        Assert.Equal(("boats-1", "gpt-image-1", "openai", "gpt-image-1", "generate"), (run.RunId, run.Config, run.Provider, run.Model, run.Operation));
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("two boats", run.Prompt);
        Assert.Equal(2, run.Parameters.Fields["n"].NumberValue);
        Assert.NotNull(run.CompletedAt);
        Assert.Equal(generated.Finals.Select(f => (f.ImageId, f.Storage.UrlPath, f.Storage.Sha256)),
            run.Images.Select(i => (i.ImageId, i.UrlPath, i.Sha256)));
    }

    [Fact]
    public async Task GetRun_UnknownRun_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.GetRunAsync(new GetRunRequest { RunId = "never-ran" }).DefaultTimeout());

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("never-ran", error.Status.Detail);
    }

    [Fact]
    public async Task GetRun_RunIdWithPathCharacters_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.GetRunAsync(new GetRunRequest { RunId = "../../etc/passwd" }).DefaultTimeout());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task GetRun_StorageDown_Unavailable()
    {
        await _fleet.Storage.StopAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.GetRunAsync(new GetRunRequest { RunId = "any" }).DefaultTimeout());

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task GetRun_StorageWithNoConfiguredAddress_UnavailableNamingTheMissingKey()
    {
        await using var router = await RouterHost.StartAsync(_fleet.OpenAI.Address, storage: null);

        var error = await Assert.ThrowsAsync<RpcException>(() => router.Client.GetRunAsync(new GetRunRequest { RunId = "any" }).DefaultTimeout());

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("services__storage__grpc__0", error.Status.Detail);
    }
}
