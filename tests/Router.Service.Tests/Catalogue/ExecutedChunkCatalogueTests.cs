using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Contracts.Provider.V1;
using Router.Service.Catalogue;

namespace Router.Service.Tests.Catalogue;

/// <summary>The chunks adapters execute as written: the seed's api_output_chunk and ComfyUI output_chunk.</summary>
public class ExecutedChunkCatalogueTests
{
    [Fact]
    public void Load_ExampleProvidersAddedAsJsonOnly_BecomeDeclarativeConfigsWithTheirProviderAndSecrets()
    {
        using var catalogue = new TestCatalogue().WithExamples();

        var snapshot = CatalogueLoader.LoadOrThrow(catalogue.Directory);

        var stability = snapshot.Configs["stability-core"].Chunk;
        Assert.Equal((AdapterKind.Declarative, ChunkOperation.Http, "stability", "stable-image-core"), (stability.Adapter, stability.Operation, stability.Provider, stability.Model));
        Assert.Equal(["STABILITY_API_KEY"], stability.Secrets);
        Assert.True(stability.NeedsProviderKey);
        Assert.Equal("https://api.stability.ai/v2beta/stable-image/generate/core", stability.Call!.ApiConfig.Fields["endpoint"].StringValue);
        Assert.Equal(30_000, stability.Call.CostPerImageUsdMicros);
        Assert.Equal(["png", "jpeg", "webp"], stability.Rules.OutputFormats);
        Assert.Contains("16:9", stability.Rules.Extras["aspect_ratio"].Values);
        Assert.Equal("1:1", stability.Defaults.Extra["aspect_ratio"].GetString());
        Assert.True(stability.Rules.Seed);

        var flux = snapshot.Configs["flux-schnell"].Chunk;
        Assert.Equal(("replicate", 4), (flux.Provider, flux.Rules.MaxN));
        Assert.Equal(["REPLICATE_API_TOKEN"], flux.Secrets);
        Assert.Equal(OutputMappingType.JsonPath, flux.OutputMapping.Type);
        Assert.Equal((ExtraValueKind.Integer, 1.0, 4.0), (flux.Rules.Extras["num_inference_steps"].Type, flux.Rules.Extras["num_inference_steps"].Min, flux.Rules.Extras["num_inference_steps"].Max));
        Assert.Equal("flux-schnell", snapshot.Resolve(configName: null, mode: "fast_replicate", mediaType: "image")?.Name);
        Assert.Equal("stability-core", snapshot.Resolve(configName: null, mode: "fast_stability", mediaType: "image")?.Name);
    }

    [Fact]
    public void Load_ShippedSd35Chunk_IsALocalWorkflowWithTheSeedsDefaultsAndItsVariantsOverrideThem()
    {
        var snapshot = CatalogueLoader.LoadOrThrow(TestCatalogue.ShippedDirectory);

        var standard = snapshot.Configs["sd35_large"];
        Assert.Equal((AdapterKind.ComfyUI, ChunkOperation.Workflow, "comfyui"), (standard.Chunk.Adapter, standard.Chunk.Operation, standard.Chunk.Provider));
        Assert.True(standard.Chunk.Local);
        Assert.False(standard.Chunk.NeedsProviderKey);
        Assert.Equal("KSampler", standard.Chunk.Call!.Workflow.Fields["3"].StructValue.Fields["class_type"].StringValue);
        Assert.Equal((25L, 5.5, "euler"), Steps(standard));
        Assert.Equal("1024x1024", standard.Parameters.Size);

        Assert.Equal((50L, 7.0, "euler"), Steps(snapshot.Configs["sd35_large_highquality"]));
        Assert.Equal((12L, 4.5, "euler"), Steps(snapshot.Configs["sd35_large_draft"]));
        Assert.Equal("sd35_large", snapshot.Resolve(configName: null, mode: "eco", mediaType: "image")?.Name);

        static (long, double, string) Steps(ConfigDefinition config) => (
            config.Parameters.Extra["steps"].GetInt64(), config.Parameters.Extra["cfg"].GetDouble(), config.Parameters.Extra["sampler"].GetString()!);
    }

    [Theory]
    [InlineData("steps", "0", "parameters.extra.steps")]
    [InlineData("cfg", "31", "parameters.extra.cfg")]
    [InlineData("sampler", "\"dpm_fast_unknown\"", "parameters.extra.sampler")]
    [InlineData("steps", "2.5", "parameters.extra.steps")]
    public void Validate_WorkflowParameterOutsideItsMapping_IsRefusedNamingIt(string name, string json, string field)
    {
        var config = CatalogueLoader.LoadOrThrow(TestCatalogue.ShippedDirectory).Configs["sd35_large"];
        using var value = JsonDocument.Parse(json);
        var input = new GenerationInput
        {
            Prompt = "a fox",
            Parameters = ImageParameters.None with { Extra = ImageParameters.None.Extra.Add(name, value.RootElement.Clone()) },
        };

        var result = RequestValidator.Validate(config, input);

        Assert.False(result.IsValid);
        Assert.Equal(field, Assert.Single(result.Violations).Field);
    }

    [Fact]
    public void Load_BrokenApiChunk_ReportsEveryMistakeWithItsField()
    {
        using var catalogue = new TestCatalogue().WithExamples();
        var added = 0;
        catalogue.Edit("chunks/output_image_stability-core.json", chunk =>
        {
            var api = chunk["api_config"]!.AsObject();
            api["endpoint"] = "ftp://api.stability.ai/generate";
            api["retries"] = 3;
            api["body_format"] = "xml";
            chunk["adapter"] = "openai";
            chunk["input_mappings"]!["seed"]!["field"] = "body.seed";
            chunk["input_mappings"]!["aspect_ratio"]!["allowed_values"] = new JsonArray(1, 2);
            chunk["output_mapping"]!["extract_path"] = "";
            var map = api["errors"]!["map"]!.AsArray();
            map.Add(new JsonObject { ["status"] = 200, ["code"] = "TEAPOT" });
            added = map.Count - 1;
        });

        var errors = Assert.Throws<InvalidCatalogueException>(() => CatalogueLoader.LoadOrThrow(catalogue.Directory)).Errors;

        Assert.Equal(
            [
                "adapter", "api_config.body_format", "api_config.endpoint", $"api_config.errors.map[{added}].code", $"api_config.errors.map[{added}].status",
                "api_config.retries", "input_mappings.aspect_ratio.allowed_values", "input_mappings.seed.field", "output_mapping.extract_path",
            ],
            errors.Where(e => e.File == "chunks/output_image_stability-core.json").Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Load_BrokenWorkflowChunk_ReportsNodesThatDoNotExistAndTheMissingPrompt()
    {
        using var catalogue = new TestCatalogue();
        catalogue.Edit("chunks/output_image_sd35_large.json", chunk =>
        {
            chunk["backend_type"] = "automatic1111";
            chunk["input_mappings"]!.AsObject().Remove("prompt");
            chunk["input_mappings"]!["steps"]!["field"] = "99.inputs.steps";
            chunk["output_mapping"]!["node"] = "42";
            chunk["workflow"]!["8"] = new JsonObject { ["inputs"] = new JsonObject() };
        });

        var errors = Assert.Throws<InvalidCatalogueException>(() => CatalogueLoader.LoadOrThrow(catalogue.Directory)).Errors;

        Assert.Equal(
            ["backend_type", "input_mappings.prompt", "input_mappings.steps.field", "output_mapping.node", "workflow.8"],
            errors.Where(e => e.File == "chunks/output_image_sd35_large.json").Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Load_NullsAndLoneSurrogatesWhereTheyDoNotBelong_AreReportedNeverThrown()
    {
        using var catalogue = new TestCatalogue();
        catalogue.Edit("chunks/output_image_sd35_large.json", chunk => chunk["input_mappings"]!["steps"] = null);
        catalogue.Edit("configs/gpt-image-1.json", config => config["tags"] = new JsonArray(null, "x"));
        catalogue.Write("configs/gpt-image-1_draft.json", File.ReadAllText(Path.Combine(catalogue.Directory, "configs/gpt-image-1_draft.json"))
            .Replace("\"quality\": \"low\"", "\"quality\": \"\\ud800\"", StringComparison.Ordinal));

        var result = CatalogueLoader.Load(catalogue.Directory);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.File == "chunks/output_image_sd35_large.json");
        Assert.Contains(result.Errors, e => e.File == "configs/gpt-image-1.json");
        Assert.Contains(result.Errors, e => e.File == "configs/gpt-image-1_draft.json");
    }

    [Fact]
    public void Load_UnknownChunkType_NamesTheKnownOnes()
    {
        using var catalogue = new TestCatalogue();
        catalogue.Edit("chunks/output_image_sd35_large.json", chunk => chunk["type"] = "workflow_chunk");

        var error = Assert.Single(Assert.Throws<InvalidCatalogueException>(() => CatalogueLoader.LoadOrThrow(catalogue.Directory)).Errors,
            e => e.File == "chunks/output_image_sd35_large.json");

        Assert.Equal("type", error.Field);
        Assert.Contains("api_output_chunk", error.Message);
        Assert.Contains("output_chunk", error.Message);
    }

    [Fact]
    public void Load_ApiChunkWhosePromptGoesNowhere_IsRefused()
    {
        using var catalogue = new TestCatalogue().WithExamples();
        catalogue.Edit("chunks/output_image_stability-core.json", chunk =>
        {
            chunk["input_mappings"]!.AsObject().Remove("prompt");
            chunk["api_config"]!["request_body"]!["prompt"] = "a fixed prompt";
        });

        var error = Assert.Single(Assert.Throws<InvalidCatalogueException>(() => CatalogueLoader.LoadOrThrow(catalogue.Directory)).Errors,
            e => e.File == "chunks/output_image_stability-core.json");

        Assert.Equal("input_mappings.prompt", error.Field);
    }

    [Fact]
    public void Load_ConfigParametersWrittenInlineAsTheSeedDoes_AreExtras()
    {
        var config = CatalogueLoader.LoadOrThrow(TestCatalogue.ShippedDirectory).Configs["sd35_large_highquality"];

        Assert.Equal(JsonValueKind.Number, config.Parameters.Extra["steps"].ValueKind);
        Assert.Equal(Operation.Workflow, Router.Service.Generation.ProviderRequestFactory.OperationOf(config.Chunk.Operation));
    }
}
