using System.Text.Json.Nodes;
using Router.Service.Catalogue;

namespace Router.Service.Tests.Catalogue;

public class CatalogueValidationTests
{
    [Fact]
    public void LoadOrThrow_FiveDifferentMistakes_ListsExactlyFiveErrorsInOneMessage()
    {
        using var catalogue = new TestCatalogue();
        catalogue.Edit("configs/gpt-image-1_highquality.json", c => c["parameters"]!["quality"] = "ultra");
        catalogue.Edit("configs/gpt-image-1.json", c => c["chunk"] = "output_image_gpt-image-9");
        catalogue.Edit("configs/gpt-image-1-mini.json", c => c["fallbacks"] = new JsonArray("gpt-image-1_draft"));
        catalogue.Edit("defaults.json", c => c["image"]!["eco"] = "gpt-image-3");
        catalogue.Write("configs/broken.json", "{\n  \"name\": \"broken\",\n  \"chunk\": \"output_image_gpt-image-1\"\n  \"timeout_seconds\": 60\n}\n");

        var ex = Assert.Throws<InvalidCatalogueException>(() => CatalogueLoader.LoadOrThrow(catalogue.Directory));

        Assert.Equal(5, ex.Errors.Length);
        Assert.Contains("has 5 error(s)", ex.Message);
        Assert.Collection(
            ex.Errors,
            e =>
            {
                Assert.Equal("configs/broken.json", e.File);
                Assert.Contains("invalid JSON (line 4,", e.Message);
            },
            e =>
            {
                Assert.Equal("configs/gpt-image-1-mini.json", e.File);
                Assert.Contains("fallbacks form a cycle: gpt-image-1-mini -> gpt-image-1_draft -> gpt-image-1-mini", e.Message);
            },
            e =>
            {
                Assert.Equal("configs/gpt-image-1.json", e.File);
                Assert.Equal("chunk", e.Field);
                Assert.Contains("chunk = 'output_image_gpt-image-9' does not exist", e.Message);
            },
            e => Assert.Equal(
                "configs/gpt-image-1_highquality.json: parameters.quality = 'ultra' is not allowed for gpt-image-1; allowed: low, medium, high, auto",
                e.ToString()),
            e =>
            {
                Assert.Equal("defaults.json", e.File);
                Assert.Equal("image.eco", e.Field);
                Assert.Contains("image.eco = 'gpt-image-3' does not exist", e.Message);
            });
        foreach (var error in ex.Errors)
        {
            Assert.Contains(error.ToString(), ex.Message);
        }
    }

    [Theory]
    [InlineData("configs/dall-e-3.json", "timeout_seconds", "0", "timeout_seconds = 0 is out of range; allowed: 1-3600")]
    [InlineData("configs/dall-e-3.json", "name", "\"dalle\"", "name = 'dalle' does not match the file name 'dall-e-3'")]
    [InlineData("configs/dall-e-3.json", "fallbacks", "[\"nope\"]", "fallbacks names 'nope', which does not exist")]
    [InlineData("configs/dall-e-3.json", "parameters", "{\"n\": 2}", "parameters.n = 2 is out of range for dall-e-3; allowed: 1-1")]
    [InlineData("configs/dall-e-3.json", "parameters", "{\"extra\": {\"aspect_ratio\": \"1:1\"}}", "parameters.extra.aspect_ratio is not a parameter dall-e-3 accepts; allowed extras: style")]
    [InlineData("configs/dall-e-3.json", "context", "{\"template\": \"no placeholder\"}", "context.template must contain the placeholder {prompt}")]
    [InlineData("configs/dall-e-3.json", "display_name", "{\"de\": \"Nur Deutsch\"}", "display_name.en is required")]
    [InlineData("configs/dall-e-3.json", "timeout", "60", "timeout is not a known field")]
    [InlineData("configs/gpt-image-2.json", "parameters", "{\"size\": \"1000x1000\"}", "parameters.size = '1000x1000' is not allowed for gpt-image-2; allowed: auto, 1024x1024, 1536x1024, 1024x1536 or any WIDTHxHEIGHT with edges 256-3840 px in multiples of 16")]
    [InlineData("configs/dall-e-3.json", "post_processing", "{\"grid_split\": {\"rows\": 1, \"cols\": 1}}", "post_processing.grid_split of 1x1 splits nothing")]
    [InlineData("configs/dall-e-3.json", "post_processing", "{\"grid_split\": {\"rows\": 17, \"cols\": 2}}", "post_processing.grid_split.rows = 17 is out of range")]
    [InlineData("configs/dall-e-3.json", "post_processing", "{\"grid_split\": {\"rows\": 2}}", "post_processing.grid_split needs rows and cols")]
    [InlineData("chunks/output_image_dall-e-3.json", "adapter", "\"openia\"", "adapter = 'openia' is unknown; allowed: openai, openrouter")]
    [InlineData("chunks/output_image_dall-e-3.json", "operation", "\"chat\"", "operation = 'chat' is not served by adapter 'openai'; allowed: generate, edit, responses")]
    [InlineData("chunks/output_image_dall-e-3.json", "model", "null", "model is required")]
    [InlineData("chunks/output_image_dall-e-3.json", "defaults", "{\"quality\": \"high\"}", "defaults.quality = 'high' is not allowed for dall-e-3; allowed: standard, hd")]
    public void Load_OneMistake_ReportsOneErrorWithFix(string file, string field, string json, string expected)
    {
        using var catalogue = new TestCatalogue();
        catalogue.Edit(file, c => c[field] = JsonNode.Parse(json));

        var result = CatalogueLoader.Load(catalogue.Directory);

        var error = Assert.Single(result.Errors);
        Assert.Equal(file, error.File);
        Assert.Contains(expected, error.Message);
        Assert.Null(result.Catalogue);
    }

    [Fact]
    public void Load_DuplicateNameInSubfolder_ReportsDuplicate()
    {
        using var catalogue = new TestCatalogue();
        Directory.CreateDirectory(Path.Combine(catalogue.Directory, "configs", "extra"));
        File.Copy(Path.Combine(catalogue.Directory, "configs", "dall-e-3.json"), Path.Combine(catalogue.Directory, "configs", "extra", "dall-e-3.json"));

        var result = CatalogueLoader.Load(catalogue.Directory);

        var error = Assert.Single(result.Errors);
        Assert.Equal("configs/extra/dall-e-3.json", error.File);
        Assert.Contains("name 'dall-e-3' is already defined by configs/dall-e-3.json", error.Message);
    }

    [Fact]
    public void Load_NewVariantAsJsonOnly_IsAvailable()
    {
        using var catalogue = new TestCatalogue();
        catalogue.Write("configs/gpt-image-2_draft.json", """
            {
              "name": "gpt-image-2_draft",
              "chunk": "output_image_gpt-image-2",
              "display_name": { "en": "GPT Image 2 (draft)", "de": "GPT Image 2 (Entwurf)" },
              "parameters": { "quality": "low", "size": "2048x1152" },
              "context": { "suffix": "rough pencil sketch" },
              "timeout_seconds": 120
            }
            """);

        var loaded = CatalogueLoader.LoadOrThrow(catalogue.Directory);

        var config = loaded.Configs["gpt-image-2_draft"];
        Assert.Equal("2048x1152", config.Parameters.Size);
        Assert.Equal("low", config.Parameters.Quality);
        Assert.Equal(120, config.TimeoutSeconds);
        Assert.Equal("a fox, rough pencil sketch", config.Context!.Apply("a fox"));
    }

    [Fact]
    public void Load_MissingDirectory_ReportsPathAndSetting()
    {
        var result = CatalogueLoader.Load(Path.Combine(Path.GetTempPath(), "no-such-catalogue-" + Guid.NewGuid().ToString("N")));

        var error = Assert.Single(result.Errors);
        Assert.Contains("Catalogue:Path", error.Message);
    }
}
