using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Contracts.Provider.V1;
using Router.Service.Api;
using Router.Service.Tests.TestSupport;

namespace Router.Service.Tests.Api;

/// <summary>The catalogue's cost estimates come from the adapters' own price tables.</summary>
public sealed class ProviderPriceListTests
{
    private static readonly ModelInfo Model = new()
    {
        Id = "gpt-image-1",
        Prices =
        {
            new Price { Size = "1024x1024", Quality = "low", UsdMicrosPerImage = 11_000 },
            new Price { Size = "1024x1024", Quality = "high", UsdMicrosPerImage = 167_000 },
            new Price { Size = "1536x1024", UsdMicrosPerImage = 50_000 },
        },
    };

    [Theory]
    [InlineData("1024x1024", "low", 11_000L)]
    [InlineData("auto", "auto", 167_000L)]      // auto is priced as 1024x1024 at high quality: an upper estimate
    [InlineData("1536x1024", "medium", 50_000L)] // the size's own price when its quality has none
    [InlineData("1024x1536", "low", null)]      // no price: unknown, never a made-up figure
    public void Estimate_SizeAndQuality_LooksUpThePriceAsTheAdaptersDo(string size, string quality, long? expected) =>
        Assert.Equal(expected, ProviderPriceList.Estimate(Model, size, quality));

    [Fact]
    public async Task ListConfigs_RealOpenAIAdapter_EstimatesFromItsPriceTable()
    {
        await using var fleet = await EndToEndFleet.StartAsync();

        var configs = await fleet.Client.ListConfigsAsync(new ListConfigsRequest()).ResponseAsync.DefaultTimeout();

        // gpt-image-1_draft: 1024x1024 at low quality, which the OpenAI adapter's table prices at $0.011.
        Assert.Equal(11_000, configs.Configs.Single(c => c.Name == "gpt-image-1_draft").EstimatedCostUsdMicros);
    }
}
