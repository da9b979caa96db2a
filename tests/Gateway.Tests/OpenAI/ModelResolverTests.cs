using Gateway.OpenAI;
using Gateway.Tests.TestSupport;

namespace Gateway.Tests.OpenAI;

public sealed class ModelResolverTests
{
    private static readonly Pipeline.Contracts.ImageGen.V1.ListConfigsResponse s_catalogue = FakeCatalogue.Create();

    [Theory]
    [InlineData("gpt-image-1", ImageOperation.Generations, "gpt-image-1")]
    [InlineData("gpt-image-1", ImageOperation.Edits, "gpt-image-1_edit")]
    [InlineData("gpt-image-1_highquality", ImageOperation.Generations, "gpt-image-1_highquality")]
    [InlineData("gpt-image-1_responses", ImageOperation.Edits, "gpt-image-1_responses")]
    [InlineData("google/gemini-2.5-flash-image", ImageOperation.Generations, "gemini-2.5-flash-image")]
    [InlineData("google/gemini-2.5-flash-image", ImageOperation.Edits, "gemini-2.5-flash-image")]
    public void Resolve_ConfigOrProviderModel_PicksTheConfig(string model, ImageOperation operation, string config)
    {
        var resolved = ModelResolver.Resolve(model, operation, s_catalogue);

        Assert.Equal(config, resolved.Config);
        Assert.Equal(config, resolved.Info?.Name);
    }

    [Theory]
    [InlineData(ImageOperation.Generations, "fast")]
    [InlineData(ImageOperation.Edits, "edit")]
    public void Resolve_NoModel_DefaultForTheMode(ImageOperation operation, string mode)
    {
        var resolved = ModelResolver.Resolve(null, operation, s_catalogue);

        Assert.Equal((null, mode), (resolved.Config, resolved.Mode));
    }

    [Fact]
    public void Resolve_ProviderModelWithoutANamedBase_FirstServingConfigByName()
    {
        var catalogue = s_catalogue.Clone();
        catalogue.Configs.Remove(catalogue.Configs.Single(c => c.Name == "gpt-image-1"));

        var resolved = ModelResolver.Resolve("gpt-image-1", ImageOperation.Generations, catalogue);

        Assert.Equal("gpt-image-1_highquality", resolved.Config);
    }

    [Fact]
    public void Resolve_Unknown_404()
    {
        var error = Assert.Throws<OpenAIException>(() => ModelResolver.Resolve("dall-e-9", ImageOperation.Generations, s_catalogue)).Error;

        Assert.Equal((404, "model_not_found", "model"), (error.HttpStatus, error.Code, error.Param));
    }

    [Fact]
    public void Resolve_ConfigThatCannotServeTheEndpoint_400ListingAlternatives()
    {
        var error = Assert.Throws<OpenAIException>(() => ModelResolver.Resolve("gpt-image-1_highquality", ImageOperation.Edits, s_catalogue)).Error;

        Assert.Equal((400, "model"), (error.HttpStatus, error.Param));
        Assert.Contains("gpt-image-1_edit", error.Message);
        Assert.DoesNotContain("gpt-image-1_highquality,", error.Message);
    }
}
