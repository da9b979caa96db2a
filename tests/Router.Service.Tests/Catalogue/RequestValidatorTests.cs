using System.Collections.Immutable;
using System.Text.Json;
using Router.Service.Catalogue;

namespace Router.Service.Tests.Catalogue;

public class RequestValidatorTests
{
    private static readonly CatalogueSnapshot Shipped = CatalogueLoader.LoadOrThrow(TestCatalogue.ShippedDirectory);

    [Fact]
    public void Validate_NoOverrides_ReturnsConfigParameters()
    {
        var config = Shipped.Configs["gpt-image-1_highquality"];

        var result = RequestValidator.Validate(config, new GenerationInput { Prompt = "a lighthouse" });

        Assert.True(result.IsValid);
        Assert.Equal(config.Parameters, result.Parameters);
        Assert.Equal("a lighthouse", result.Prompt);
    }

    [Fact]
    public void Validate_ValidOverrides_AppliedOverConfigAndChunk()
    {
        var config = Shipped.Configs["gpt-image-1_highquality"];
        var input = new GenerationInput
        {
            Prompt = "a lighthouse",
            Parameters = new ImageParameters { Size = "1536x1024", N = 3, OutputFormat = "webp", OutputCompression = 70, Extra = Extras(("moderation", "\"low\"")) },
        };

        var result = RequestValidator.Validate(config, input);

        Assert.True(result.IsValid, string.Join("; ", result.Violations));
        var parameters = result.Parameters!;
        Assert.Equal("1536x1024", parameters.Size);
        Assert.Equal("high", parameters.Quality);
        Assert.Equal(3, parameters.N);
        Assert.Equal("webp", parameters.OutputFormat);
        Assert.Equal(70, parameters.OutputCompression);
        Assert.Equal("auto", parameters.Background);
        Assert.Equal("low", parameters.Extra["moderation"].GetString());
    }

    [Fact]
    public void Validate_EveryParameterWrong_ListsEveryViolation()
    {
        var config = Shipped.Configs["dall-e-3"];
        var input = new GenerationInput
        {
            Prompt = new string('x', 4001),
            Parameters = new ImageParameters
            {
                Size = "1536x1024",
                Quality = "high",
                N = 2,
                OutputFormat = "webp",
                Background = "transparent",
                PartialImages = 1,
                OutputCompression = 50,
                Seed = 7,
                Extra = Extras(("style", "\"cubist\""), ("aspect_ratio", "\"1:1\"")),
            },
            InputImageCount = 1,
            HasMask = true,
        };

        var result = RequestValidator.Validate(config, input);

        Assert.False(result.IsValid);
        Assert.Null(result.Parameters);
        var byField = result.Violations.ToDictionary(v => v.Field, v => v.Description);
        Assert.Equal(13, result.Violations.Length);
        Assert.Equal("parameters.size = '1536x1024' is not allowed for dall-e-3; allowed: 1024x1024, 1792x1024, 1024x1792", byField["parameters.size"]);
        Assert.Equal("parameters.quality = 'high' is not allowed for dall-e-3; allowed: standard, hd", byField["parameters.quality"]);
        Assert.Equal("parameters.n = 2 is out of range for dall-e-3; allowed: 1-1", byField["parameters.n"]);
        Assert.Equal("parameters.output_format = 'webp' is not allowed for dall-e-3; allowed: png", byField["parameters.output_format"]);
        Assert.Equal("parameters.background is not supported by dall-e-3; leave it unset", byField["parameters.background"]);
        Assert.Equal("parameters.partial_images = 1 is out of range for dall-e-3; allowed: 0-0", byField["parameters.partial_images"]);
        Assert.Equal("parameters.output_compression is not supported by dall-e-3; leave it unset", byField["parameters.output_compression"]);
        Assert.Equal("parameters.seed is not supported by dall-e-3; leave it unset", byField["parameters.seed"]);
        Assert.Equal("parameters.extra.style = 'cubist' is not allowed; allowed: vivid, natural", byField["parameters.extra.style"]);
        Assert.Equal("parameters.extra.aspect_ratio is not a parameter dall-e-3 accepts; allowed extras: style", byField["parameters.extra.aspect_ratio"]);
        Assert.Contains("at most 4000", byField["prompt"]);
        Assert.Contains("takes no input images; got 1", byField["input_images"]);
        Assert.Contains("mask is not supported", byField["mask"]);
    }

    [Theory]
    [InlineData("2048x1152", true)]
    [InlineData("3840x2160", true)]
    [InlineData("auto", true)]
    [InlineData("1000x1000", false)]
    [InlineData("4096x4096", false)]
    [InlineData("1024", false)]
    public void Validate_GptImage2Size_AcceptsMultiplesOf16WithinBounds(string size, bool valid)
    {
        var result = RequestValidator.Validate(Shipped.Configs["gpt-image-2"], new GenerationInput { Parameters = new ImageParameters { Size = size } });

        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            Assert.Contains("multiples of 16", Assert.Single(result.Violations).Description);
        }
    }

    [Fact]
    public void Validate_TransparentJpeg_RejectedWithFix()
    {
        var input = new GenerationInput { Parameters = new ImageParameters { Background = "transparent", OutputFormat = "jpeg" } };

        var result = RequestValidator.Validate(Shipped.Configs["gpt-image-1"], input);

        var violation = Assert.Single(result.Violations);
        Assert.Equal("parameters.background", violation.Field);
        Assert.Contains("needs output_format png or webp", violation.Description);
    }

    [Fact]
    public void Validate_PngOverJpegConfig_DropsInheritedCompression()
    {
        var config = Shipped.Configs["gpt-image-1_draft"];
        Assert.Equal(80, config.Parameters.OutputCompression);

        var result = RequestValidator.Validate(config, new GenerationInput { Parameters = new ImageParameters { OutputFormat = "png" } });

        Assert.True(result.IsValid, string.Join("; ", result.Violations));
        Assert.Null(result.Parameters!.OutputCompression);
    }

    [Fact]
    public void Validate_GeminiAspectRatioAndSeed_Accepted()
    {
        var input = new GenerationInput { Parameters = new ImageParameters { Seed = 42, Extra = Extras(("aspect_ratio", "\"16:9\"")) } };

        var result = RequestValidator.Validate(Shipped.Configs["gemini-2.5-flash-image"], input);

        Assert.True(result.IsValid, string.Join("; ", result.Violations));
        Assert.Equal(42, result.Parameters!.Seed);
        Assert.Equal("16:9", result.Parameters.Extra["aspect_ratio"].GetString());
    }

    [Fact]
    public void Validate_EditWithoutInputImage_RejectsInputImages()
    {
        var result = RequestValidator.Validate(Shipped.Configs["gpt-image-1_edit"], new GenerationInput { Prompt = "make it night" });

        var violation = Assert.Single(result.Violations);
        Assert.Equal("input_images", violation.Field);
        Assert.Contains("takes 1-16 input images; got 0", violation.Description);
    }

    [Fact]
    public void Validate_ConfigWithTemplate_AppliesContextToPrompt()
    {
        var result = RequestValidator.Validate(Shipped.Configs["gpt-5-image"], new GenerationInput { Prompt = "an owl" });

        Assert.True(result.IsValid);
        Assert.EndsWith(": an owl", result.Prompt);
        Assert.StartsWith("Generate an image directly", result.Prompt);
    }

    [Fact]
    public void Validate_BlankPrompt_RejectsPrompt()
    {
        var result = RequestValidator.Validate(Shipped.Configs["gpt-image-1"], new GenerationInput { Prompt = "  " });

        Assert.Equal("prompt", Assert.Single(result.Violations).Field);
    }

    private static ImmutableDictionary<string, JsonElement> Extras(params (string Name, string Json)[] values) =>
        values.ToImmutableDictionary(v => v.Name, v => JsonDocument.Parse(v.Json).RootElement.Clone());
}
