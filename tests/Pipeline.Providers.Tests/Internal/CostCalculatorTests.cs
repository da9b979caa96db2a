using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers.Internal;

namespace Pipeline.Providers.Tests.Internal;

/// <summary>
/// Prices from OpenAI's published pricing (platform.openai.com/docs/pricing; the same table as OpenAI.Adapter's
/// appsettings.json), USD per million tokens: text input, cached text input, image input, cached image input, image output
/// (and gpt-image-1.5's text output); dall-e-3 per image. Token prices in USD per million are micros per token, so the
/// expected costs below are plain sums of tokens × price.
/// </summary>
public sealed class CostCalculatorTests
{
    private static readonly ModelDefinition GptImage1 = new()
    {
        Id = "gpt-image-1",
        InputUsdPerMillionTokens = 5.00m,
        CachedInputUsdPerMillionTokens = 1.25m,
        ImageInputUsdPerMillionTokens = 10.00m,
        CachedImageInputUsdPerMillionTokens = 2.50m,
        OutputUsdPerMillionTokens = 40.00m,
        Prices = [new PriceDefinition { Size = "1024x1024", Quality = "high", UsdPerImage = 0.167m }],
    };

    private static readonly ModelDefinition GptImage1Mini = new()
    {
        Id = "gpt-image-1-mini",
        InputUsdPerMillionTokens = 2.00m,
        CachedInputUsdPerMillionTokens = 0.20m,
        ImageInputUsdPerMillionTokens = 2.50m,
        CachedImageInputUsdPerMillionTokens = 0.25m,
        OutputUsdPerMillionTokens = 8.00m,
        Prices = [new PriceDefinition { Size = "1024x1024", Quality = "high", UsdPerImage = 0.036m }],
    };

    private static readonly ModelDefinition GptImage15 = new()
    {
        Id = "gpt-image-1.5",
        InputUsdPerMillionTokens = 5.00m,
        CachedInputUsdPerMillionTokens = 1.25m,
        ImageInputUsdPerMillionTokens = 8.00m,
        CachedImageInputUsdPerMillionTokens = 2.00m,
        OutputUsdPerMillionTokens = 32.00m,
        TextOutputUsdPerMillionTokens = 10.00m,
        Prices = [new PriceDefinition { Size = "1024x1024", Quality = "high", UsdPerImage = 0.133m }],
    };

    private static readonly ModelDefinition DallE3 = new()
    {
        Id = "dall-e-3",
        Prices =
        [
            new PriceDefinition { Size = "1024x1024", Quality = "standard", UsdPerImage = 0.04m },
            new PriceDefinition { Size = "1792x1024", Quality = "standard", UsdPerImage = 0.08m },
            new PriceDefinition { Size = "1024x1024", Quality = "hd", UsdPerImage = 0.08m },
            new PriceDefinition { Size = "1792x1024", Quality = "hd", UsdPerImage = 0.12m },
            new PriceDefinition { Size = "1024x1024", UsdPerImage = 0.04m },
        ],
    };

    private static readonly HostModelPrice[] Hosts =
    [
        new() { Id = "gpt-4.1", InputUsdPerMillionTokens = 2.00m, CachedInputUsdPerMillionTokens = 0.50m, OutputUsdPerMillionTokens = 8.00m },
        new() { Id = "gpt-4.1-mini", InputUsdPerMillionTokens = 0.40m, CachedInputUsdPerMillionTokens = 0.10m, OutputUsdPerMillionTokens = 1.60m },
    ];

    public static TheoryData<string, long> GenerateCosts => new()
    {
        // 22 text input + 4160 image output tokens (a 1024x1024 high image).
        { "gpt-image-1", (22 * 5) + (4160 * 40) },
        { "gpt-image-1-mini", (22 * 2) + (4160 * 8) },
        { "gpt-image-1.5", (22 * 5) + (4160 * 32) },
    };

    [Theory]
    [MemberData(nameof(GenerateCosts))]
    public void Price_GenerateReportsUsage_TokensPricedNotThePerImageTable(string model, long expected)
    {
        var final = Final(1024, 1024, new Usage { InputTokens = 22, InputTextTokens = 22, OutputTokens = 4160, OutputImageTokens = 4160 });

        var cost = CostCalculator.Price(Gpt(model), Hosts, final, "high");

        Assert.Equal(new CostCalculator.Cost(expected, Known: true), cost);
        Assert.NotEqual(CostCalculator.ToMicros(Gpt(model).Prices[0].UsdPerImage), cost.UsdMicros);
    }

    [Theory]
    [InlineData("gpt-image-1", (40 * 5) + (646 * 10) + (4160 * 40))]
    [InlineData("gpt-image-1-mini", (40 * 2) + (646 * 2.5) + (4160 * 8))]
    [InlineData("gpt-image-1.5", (40 * 5) + (646 * 8) + (4160 * 32))]
    public void Price_EditWithInputImages_ImageInputTokensPricedAtTheImageInputPrice(string model, double expected)
    {
        // Two input images of 323 tokens each, as the Images API reports them in input_tokens_details.image_tokens.
        var final = Final(1024, 1024, new Usage
        {
            InputTokens = 686, InputTextTokens = 40, InputImageTokens = 646, OutputTokens = 4160, OutputImageTokens = 4160,
        });

        var cost = CostCalculator.Price(Gpt(model), Hosts, final, "high");

        Assert.Equal(new CostCalculator.Cost((long)expected, Known: true), cost);
    }

    [Fact]
    public void Price_CachedInputTokens_PricedAtTheCachedPrices()
    {
        var final = Final(1024, 1024, new Usage
        {
            InputTokens = 1100, InputTextTokens = 100, InputCachedTextTokens = 40, InputImageTokens = 1000, InputCachedImageTokens = 600,
            OutputTokens = 1000, OutputImageTokens = 1000,
        });

        var cost = CostCalculator.Price(GptImage1Mini, Hosts, final, "low");

        // 60 × 2 + 40 × 0.20 + 400 × 2.50 + 600 × 0.25 + 1000 × 8.
        Assert.Equal(new CostCalculator.Cost(120 + 8 + 1000 + 150 + 8000, Known: true), cost);
    }

    [Fact]
    public void Price_TextOutputTokens_PricedAtTheTextOutputPrice()
    {
        var final = Final(1024, 1024, new Usage { InputTokens = 10, OutputTokens = 1100, OutputImageTokens = 1000, OutputTextTokens = 100 });

        Assert.Equal(new CostCalculator.Cost((10 * 5) + (1000 * 32) + (100 * 10), Known: true), CostCalculator.Price(GptImage15, Hosts, final, "low"));
    }

    [Fact]
    public void Price_ResponsesCall_HostModelTokensPricedAtTheHostModelsPrices()
    {
        var final = Final(1024, 1024, new Usage
        {
            InputTokens = 72, InputTextTokens = 72, OutputTokens = 4160, OutputImageTokens = 4160,
            HostModel = "gpt-4.1-mini-2025-04-14", HostInputTokens = 1000, HostCachedInputTokens = 200, HostOutputTokens = 50,
        });

        var cost = CostCalculator.Price(GptImage1, Hosts, final, "high");

        // Image: 72 × 5 + 4160 × 40; host (dated snapshot of gpt-4.1-mini): 800 × 0.40 + 200 × 0.10 + 50 × 1.60.
        Assert.Equal(new CostCalculator.Cost((72 * 5) + (4160 * 40) + 320 + 20 + 80, Known: true), cost);
    }

    [Fact]
    public void Price_ResponsesWithoutToolUsage_TableForTheImagePlusTheHostTokens()
    {
        var final = Final(1024, 1024, new Usage { HostModel = "gpt-4.1", HostInputTokens = 1000, HostOutputTokens = 100 });

        Assert.Equal(new CostCalculator.Cost(167_000 + 2000 + 800, Known: true), CostCalculator.Price(GptImage1, Hosts, final, "high"));
    }

    [Fact]
    public void Price_HostModelWithoutPrice_UnknownWithTheImagePartAsLowerBound()
    {
        var final = Final(1024, 1024, new Usage
        {
            InputTokens = 72, InputTextTokens = 72, OutputTokens = 4160, OutputImageTokens = 4160,
            HostModel = "o3-pro", HostInputTokens = 1000, HostOutputTokens = 50,
        });

        Assert.Equal(new CostCalculator.Cost((72 * 5) + (4160 * 40), Known: false), CostCalculator.Price(GptImage1, Hosts, final, "high"));
    }

    [Theory]
    [InlineData(1792, 1024, "hd", 120_000)]
    [InlineData(1792, 1024, "standard", 80_000)]
    [InlineData(1024, 1024, "hd", 80_000)]
    [InlineData(1024, 1024, "", 40_000)]
    public void Price_DallE3WithoutUsage_PerImageTableBySizeAndQuality(int width, int height, string quality, long expected) =>
        Assert.Equal(new CostCalculator.Cost(expected, Known: true), CostCalculator.Price(DallE3, Hosts, Final(width, height, usage: null), quality));

    [Fact]
    public void Price_UnknownModel_CostUnknownNotASilentZero()
    {
        Assert.Equal(new CostCalculator.Cost(0, Known: false), CostCalculator.Price(null, Hosts, Final(1024, 1024, usage: null), "high"));
        var withUsage = Final(1024, 1024, new Usage { InputTokens = 22, OutputTokens = 4160 });
        Assert.False(CostCalculator.Price(null, Hosts, withUsage, "high").Known);
    }

    [Fact]
    public void Price_NoUsageAndNoMatchingRow_Unknown() =>
        Assert.Equal(new CostCalculator.Cost(0, Known: false), CostCalculator.Price(DallE3, Hosts, Final(1024, 1792, usage: null), "hd"));

    [Fact]
    public void Price_TokenTypeWithoutPrice_UnknownAndTheRestIsALowerBound()
    {
        var noImageInputPrice = GptImage1 with { ImageInputUsdPerMillionTokens = null };
        var final = Final(1024, 1024, new Usage { InputTokens = 363, InputTextTokens = 40, InputImageTokens = 323, OutputTokens = 4160, OutputImageTokens = 4160 });

        Assert.Equal(new CostCalculator.Cost((40 * 5) + (4160 * 40), Known: false), CostCalculator.Price(noImageInputPrice, Hosts, final, "high"));
    }

    [Fact]
    public void Price_UnsplitUsage_InputAsTextAndOutputAsImage()
    {
        var final = Final(1024, 1024, new Usage { InputTokens = 50, OutputTokens = 1000 });

        Assert.Equal(new CostCalculator.Cost((50 * 5) + (1000 * 40), Known: true), CostCalculator.Price(GptImage1, Hosts, final, "auto"));
    }

    [Theory]
    [InlineData("gpt-4.1", true)]
    [InlineData("gpt-4.1-2025-04-14", true)]
    [InlineData("gpt-4.1-mini", false)]
    [InlineData("gpt-4.10", false)]
    [InlineData("gpt-4", false)]
    public void HostModelPrice_MatchesTheIdOrADatedSnapshot(string model, bool expected) =>
        Assert.Equal(expected, Hosts[0].Prices(model));

    private static ModelDefinition Gpt(string id) => id switch
    {
        "gpt-image-1" => GptImage1,
        "gpt-image-1-mini" => GptImage1Mini,
        "gpt-image-1.5" => GptImage15,
        _ => throw new ArgumentOutOfRangeException(nameof(id)),
    };

    private static FinalImage Final(int width, int height, Usage? usage) => new() { Width = width, Height = height, Usage = usage };
}
