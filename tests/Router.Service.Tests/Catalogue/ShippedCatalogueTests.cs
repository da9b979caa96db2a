using Router.Service.Catalogue;

namespace Router.Service.Tests.Catalogue;

public class ShippedCatalogueTests
{
    private static readonly CatalogueSnapshot Shipped = CatalogueLoader.LoadOrThrow(TestCatalogue.ShippedDirectory);

    [Fact]
    public void Load_ShippedCatalogue_HasNoErrors()
    {
        var result = CatalogueLoader.Load(TestCatalogue.ShippedDirectory);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Load_ShippedCatalogueWithExamples_CoversEveryAdapterOperation()
    {
        using var catalogue = new TestCatalogue().WithExamples();
        var used = CatalogueLoader.LoadOrThrow(catalogue.Directory).Configs.Values.Select(c => (c.Chunk.Adapter, c.Chunk.Operation)).ToHashSet();

        foreach (var adapter in Enum.GetValues<AdapterKind>())
        {
            foreach (var operation in CatalogueNames.OperationsOf(adapter))
            {
                Assert.Contains((adapter, operation), used);
            }
        }
    }

    [Theory]
    [InlineData("gpt-image-1", "gpt-image-1", ChunkOperation.Generate)]
    [InlineData("gpt-image-1_highquality", "gpt-image-1", ChunkOperation.Generate)]
    [InlineData("gpt-image-1_draft", "gpt-image-1", ChunkOperation.Generate)]
    [InlineData("gpt-image-1.5", "gpt-image-1.5", ChunkOperation.Generate)]
    [InlineData("gpt-image-1-mini", "gpt-image-1-mini", ChunkOperation.Generate)]
    [InlineData("gpt-image-2", "gpt-image-2", ChunkOperation.Generate)]
    [InlineData("dall-e-3", "dall-e-3", ChunkOperation.Generate)]
    [InlineData("gpt-image-1_responses", "gpt-image-1", ChunkOperation.Responses)]
    [InlineData("gpt-image-1_edit", "gpt-image-1", ChunkOperation.Edit)]
    [InlineData("gemini-2.5-flash-image", "google/gemini-2.5-flash-image", ChunkOperation.Chat)]
    [InlineData("gpt-5-image", "openai/gpt-5-image", ChunkOperation.Chat)]
    public void TryGetConfig_StarterConfig_UsesExpectedModelAndOperation(string name, string model, ChunkOperation operation)
    {
        Assert.True(Shipped.TryGetConfig(name, out var config));
        Assert.Equal(model, config.Chunk.Model);
        Assert.Equal(operation, config.Chunk.Operation);
        Assert.False(string.IsNullOrWhiteSpace(config.DisplayName("en")));
        Assert.NotEqual(config.DisplayName("en"), config.Description("de"));
        Assert.True(config.Descriptions.ContainsKey("de"), $"{name} has no German description");
        Assert.True(config.DisplayNames.ContainsKey("de"), $"{name} has no German name");
    }

    [Fact]
    public void Configs_ResponsesConfig_StreamsPartialsThroughHostModel()
    {
        var config = Shipped.Configs["gpt-image-1_responses"];

        Assert.Equal(2, config.Parameters.PartialImages);
        Assert.Equal("gpt-4.1", config.Parameters.Extra["host_model"].GetString());
        Assert.Equal(OutputMappingType.ResponsesImageGenerationCall, config.Chunk.OutputMapping.Type);
    }

    [Theory]
    [InlineData("fast", "gpt-image-1_draft")]
    [InlineData("eco", "sd35_large")]
    [InlineData("quality", "gpt-image-1_highquality")]
    [InlineData("stream", "gpt-image-1_responses")]
    [InlineData("edit", "gpt-image-1_edit")]
    public void Resolve_NoConfigName_ReturnsDefaultOfMode(string mode, string expected)
    {
        var config = Shipped.Resolve(configName: null, mode: mode, mediaType: "image");

        Assert.Equal(expected, config?.Name);
    }

    [Fact]
    public void Resolve_NoConfigNorMode_ReturnsFastImageDefault()
    {
        Assert.Equal(Shipped.Defaults["image"]["fast"], Shipped.Resolve(null)?.Name);
    }

    [Fact]
    public void Resolve_UnknownNameOrMode_ReturnsNull()
    {
        Assert.Null(Shipped.Resolve("gpt-image-9"));
        Assert.Null(Shipped.Resolve(null, mode: "turbo"));
        Assert.Null(Shipped.Resolve(null, mode: "fast", mediaType: "video"));
    }

    [Fact]
    public void Parameters_HighQualityConfig_OverridesChunkDefaults()
    {
        var standard = Shipped.Configs["gpt-image-1"];
        var high = Shipped.Configs["gpt-image-1_highquality"];

        Assert.Same(standard.Chunk, high.Chunk);
        Assert.Equal("auto", standard.Parameters.Quality);
        Assert.Equal("1024x1024", standard.Parameters.Size);
        Assert.Equal("high", high.Parameters.Quality);
        Assert.Equal("1024x1536", high.Parameters.Size);
        Assert.Equal(standard.Parameters.OutputFormat, high.Parameters.OutputFormat);
        Assert.Equal(250_000, high.Meta.CostPerImageUsdMicros);
        Assert.Equal(42_000, standard.Meta.CostPerImageUsdMicros);
    }

    [Theory]
    [InlineData("de", "GPT Image 1 (Entwurf)")]
    [InlineData("de-AT", "GPT Image 1 (Entwurf)")]
    [InlineData("fr", "GPT Image 1 (draft)")]
    [InlineData(null, "GPT Image 1 (draft)")]
    public void DisplayName_Language_FallsBackToPrimaryThenEnglish(string? language, string expected)
    {
        Assert.Equal(expected, Shipped.Configs["gpt-image-1_draft"].DisplayName(language));
    }
}
