using System.Text.Json.Nodes;
using Declarative.Adapter.Chunks;
using Declarative.Adapter.Templates;
using Declarative.Adapter.Tests.TestSupport;
using Pipeline.Providers;

namespace Declarative.Adapter.Tests.Templates;

/// <summary>Input mappings, placeholders and emulator routing, on the call builder directly.</summary>
public sealed class CallBuilderTests
{
    private static readonly Uri Emulator = new("http://127.0.0.1:5100/");

    [Fact]
    public void Build_Parameters_WrittenAtNestedFieldsWithDefaultsAndNumbersStayNumbers()
    {
        var request = ChunkFiles.Request(ChunkFiles.Flux).WithExtra(("seed", 42.0), ("aspect_ratio", "16:9"));
        request.N = 2;

        var call = Build(request);

        var input = call.Body["input"]!.AsObject();
        Assert.Equal("a lighthouse at dusk", input["prompt"]!.GetValue<string>());
        Assert.Equal("16:9", input["aspect_ratio"]!.GetValue<string>());
        Assert.Equal("png", input["output_format"]!.GetValue<string>());
        Assert.Equal("42", input["seed"]!.ToJsonString());
        Assert.Equal("2", input["num_outputs"]!.ToJsonString());
        Assert.Equal("true", input["go_fast"]!.ToJsonString());
    }

    [Fact]
    public void Build_ChatChunk_WritesThePromptIntoTheSecondMessageAndKeepsFractions()
    {
        var request = ChunkFiles.Request(ChunkFiles.Gpt5, "a red kite").WithExtra(("temperature", 1.25));

        var call = Build(request);

        Assert.Equal("a red kite", call.Body["messages"]![1]!["content"]!.GetValue<string>());
        Assert.Equal("system", call.Body["messages"]![0]!["role"]!.GetValue<string>());
        Assert.Contains("\"temperature\":1.25,\"max_tokens\":4096", call.Body.ToJsonString(), StringComparison.Ordinal);
        Assert.False(call.Body.ContainsKey("seed"));
    }

    [Fact]
    public void Build_MissingObjectsOnTheWay_AreCreated()
    {
        var chunk = ChunkFiles.Load(ChunkFiles.Gpt5);
        chunk["input_mappings"]!["seed"] = new JsonObject { ["field"] = "request_body.provider.options[1].seed" };

        var call = Build(ChunkFiles.Request(chunk).WithExtra(("seed", 7)));

        Assert.Equal("{\"options\":[null,{\"seed\":7}]}", call.Body["provider"]!.ToJsonString());
    }

    [Fact]
    public void Build_ParameterWithoutValueOrDefault_RemovesItsPlaceholderOnlyString()
    {
        var chunk = ChunkFiles.Load(ChunkFiles.Stability);
        chunk["api_config"]!["request_body"]!["seed"] = "{{SEED}}";

        var call = Build(ChunkFiles.Request(chunk));

        Assert.False(call.Body.ContainsKey("seed"));
        Assert.Equal("", call.Body["negative_prompt"]!.GetValue<string>());
        Assert.Equal("1:1", call.Body["aspect_ratio"]!.GetValue<string>());
    }

    [Fact]
    public void Build_PromptHoldingAPlaceholder_IsWrittenVerbatimNeverExpanded()
    {
        var call = Build(ChunkFiles.Request(ChunkFiles.Stability, "show me {{STABILITY_API_KEY}} and {{MODEL}}"), secrets: new() { ["STABILITY_API_KEY"] = "sk-secret" });

        Assert.Equal("show me {{STABILITY_API_KEY}} and {{MODEL}}", call.Body["prompt"]!.GetValue<string>());
        Assert.Equal("Bearer sk-secret", call.Headers.Single(h => h.Key == "Authorization").Value);
    }

    [Fact]
    public void Build_HeaderMappingAndModelPlaceholder_AreFilled()
    {
        var chunk = ChunkFiles.Load(ChunkFiles.GptImageStreamed);
        chunk["input_mappings"]!["seed"] = new JsonObject { ["field"] = "headers.X-Seed" };

        var call = Build(ChunkFiles.Request(chunk).WithExtra(("seed", 12)));

        Assert.Equal("12", call.Headers.Single(h => h.Key == "X-Seed").Value);
        Assert.Equal("gpt-image-1", call.Body["model"]!.GetValue<string>());
        Assert.Equal(2, call.Body["partial_images"]!.GetValue<long>());
    }

    [Fact]
    public void Build_SecretNotConfiguredWithEmulator_GoesToTheEmulatorUnderTheEndpointsHost()
    {
        var call = Build(ChunkFiles.Request(ChunkFiles.Stability), emulator: Emulator, secrets: []);

        Assert.True(call.ViaEmulator);
        Assert.Equal("http://127.0.0.1:5100/api.stability.ai/v2beta/stable-image/generate/core", call.Endpoint.ToString());
    }

    [Fact]
    public void Build_SecretConfiguredWithEmulator_GoesToTheRealEndpointUnchanged()
    {
        var call = Build(ChunkFiles.Request(ChunkFiles.Stability), emulator: Emulator, secrets: new() { ["STABILITY_API_KEY"] = "sk-real" });

        Assert.False(call.ViaEmulator);
        Assert.Equal("https://api.stability.ai/v2beta/stable-image/generate/core", call.Endpoint.ToString());
    }

    [Fact]
    public void Build_CallersKeyWithEmulatorAndNoConfiguredSecret_GoesToTheEmulatorWithTheCallersKey()
    {
        var call = Build(ChunkFiles.Request(ChunkFiles.Stability), emulator: Emulator, secrets: [], callerKey: "sk-caller");

        Assert.True(call.ViaEmulator);
        Assert.Equal("Bearer sk-caller", call.Headers.Single(h => h.Key == "Authorization").Value);
        Assert.Equal("text with *** inside", call.Scrub("text with sk-caller inside"));
    }

    [Fact]
    public void Parse_InvalidChunk_ReportsEveryProblemAtOnce()
    {
        var chunk = ChunkFiles.Load(ChunkFiles.Flux);
        chunk["api_config"]!["method"] = "PUT";
        chunk["api_config"]!["body_format"] = "xml";
        chunk["api_config"]!["errors"]!["map"]![0]!["code"] = "TEAPOT";
        chunk["output_mapping"] = new JsonObject { ["type"] = "json_path" };

        var error = Assert.Throws<ProviderException>(() => ApiChunk.Parse(ChunkFiles.Request(chunk)));

        Assert.Equal(ProviderFailureKind.InvalidRequest, error.Kind);
        Assert.Contains("api_config.method 'PUT'", error.Message, StringComparison.Ordinal);
        Assert.Contains("api_config.body_format 'xml'", error.Message, StringComparison.Ordinal);
        Assert.Contains("api_config.errors.map[0].code 'TEAPOT'", error.Message, StringComparison.Ordinal);
        Assert.Contains("output_mapping.extract_path is missing", error.Message, StringComparison.Ordinal);
    }

    private static PreparedCall Build(Pipeline.Contracts.Provider.V1.ProviderRequest request, Uri? emulator = null,
        Dictionary<string, string>? secrets = null, string callerKey = "")
    {
        var options = new DeclarativeOptions { EmulatorUrl = emulator, Secrets = secrets ?? new Dictionary<string, string> { ["STABILITY_API_KEY"] = "sk-st", ["REPLICATE_API_TOKEN"] = "r8_x", ["OPENROUTER_API_KEY"] = "sk-or", ["OPENAI_API_KEY"] = "sk-oa" } };
        var builder = new CallBuilder(options, new SecretStore(options, new ConfigurationBuilder().Build()));
        return builder.Build(ApiChunk.Parse(request), request, callerKey);
    }
}
