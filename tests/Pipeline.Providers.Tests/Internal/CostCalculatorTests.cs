using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers.Internal;

namespace Pipeline.Providers.Tests.Internal;

public sealed class CostCalculatorTests
{
    private static readonly ModelDefinition Model = new()
    {
        Id = "gpt-image-1",
        Prices =
        [
            new PriceDefinition { Size = "1024x1024", Quality = "high", UsdPerImage = 0.167m },
            new PriceDefinition { Size = "1024x1024", UsdPerImage = 0.042m },
            new PriceDefinition { Quality = "low", UsdPerImage = 0.011m },
            new PriceDefinition { UsdPerImage = 0.063m },
        ],
    };

    [Theory]
    [InlineData(1024, 1024, "high", 167_000)]
    [InlineData(1024, 1024, "medium", 42_000)]
    [InlineData(1536, 1024, "low", 11_000)]
    [InlineData(1536, 1024, "high", 63_000)]
    [InlineData(1536, 1024, "", 63_000)]
    public void UsdMicros_PriceTable_MostSpecificMatchWins(int width, int height, string quality, long expected) =>
        Assert.Equal(expected, CostCalculator.UsdMicros(Model, Final(width, height), quality));

    [Fact]
    public void UsdMicros_NoPriceButTokenPrices_FromUsage()
    {
        var model = new ModelDefinition { Id = "m", InputUsdPerMillionTokens = 5m, OutputUsdPerMillionTokens = 40m };
        var final = Final(1024, 1024);
        final.Usage = new Usage { InputTokens = 1000, OutputTokens = 4160 };

        // 1000 × 5 / 1e6 + 4160 × 40 / 1e6 = 0.005 + 0.1664 USD.
        Assert.Equal(171_400, CostCalculator.UsdMicros(model, final, "high"));
    }

    [Fact]
    public void UsdMicros_UnknownModelOrNoPrices_Zero()
    {
        Assert.Equal(0, CostCalculator.UsdMicros(null, Final(1024, 1024), "high"));
        Assert.Equal(0, CostCalculator.UsdMicros(new ModelDefinition { Id = "m" }, Final(1024, 1024), "high"));
    }

    private static FinalImage Final(int width, int height) => new() { Width = width, Height = height };
}
