using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Contracts.Provider.V1;
using Pipeline.ServiceDefaults.Security;
using Router.Service.Tests.Catalogue;
using Router.Service.Tests.TestSupport;

namespace Router.Service.Tests.Generation;

/// <summary>
/// Chunks adapters execute as written: the router sends the chunk with every call to the adapter of its kind
/// (ComfyUI workflows to <c>comfyui</c>, api_output_chunks to <c>declarative</c>), keeps what the adapter reports it
/// used with the run, and routes caller keys and key rules by the chunk's own provider.
/// </summary>
public sealed class ExecutedChunkGenerationTests : IAsyncLifetime
{
    private const string StabilityKey = "sk-caller-stability-31c8e2";

    private readonly TestCatalogue _catalogue = new TestCatalogue().WithExamples();
    private TestFleet _fleet = null!;

    public async ValueTask InitializeAsync() =>
        _fleet = await TestFleet.StartAsync(new Dictionary<string, string?> { ["Catalogue:Path"] = _catalogue.Directory });

    public async ValueTask DisposeAsync()
    {
        await _fleet.DisposeAsync();
        _catalogue.Dispose();
    }

    [Fact]
    public async Task Generate_EcoMode_RunsTheWorkflowOnComfyUIAndTheRunRecordsTheDrawnSeedAsLocalAndFree()
    {
        _fleet.ComfyUI.Script("sd3.5_large", async (call, stream, ct) =>
        {
            var frame = AdapterScripts.Final(call.Request, 0);
            frame.Final.CostUsdMicros = 0;
            frame.Final.Local = true;
            frame.Final.EffectiveParameters = new Struct
            {
                Fields = { ["seed"] = Value.ForNumber(1234567), ["steps"] = Value.ForNumber(25), ["cfg"] = Value.ForNumber(5.5), ["sampler"] = Value.ForString("euler") },
            };
            await stream.WriteAsync(frame, ct);
        });

        var result = (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "a fox in the snow", Mode = "eco", RunId = "eco-1" })).EnsureOk();

        Assert.Equal(("sd35_large", "comfyui"), (result.Accepted.Config, result.Accepted.Provider));
        var call = Assert.Single(_fleet.ComfyUI.Calls).Request;
        Assert.Equal(Operation.Workflow, call.Operation);
        Assert.Equal(("output_image_sd35_large", "comfyui", true), (call.Chunk.Name, call.Chunk.Provider, call.Chunk.Local));
        Assert.Equal("16.inputs.text", call.Chunk.InputMappings.Fields["prompt"].StructValue.Fields["field"].StringValue);
        Assert.Equal("KSampler", call.Chunk.Workflow.Fields["3"].StructValue.Fields["class_type"].StringValue);
        Assert.Equal((25, 5.5, "euler"), (call.Extra.Fields["steps"].NumberValue, call.Extra.Fields["cfg"].NumberValue, call.Extra.Fields["sampler"].StringValue));
        Assert.Equal("1024x1024", call.Size);
        Assert.Empty(_fleet.OpenAI.Calls);

        var final = Assert.Single(result.Finals);
        Assert.Equal((0L, true), (final.CostUsdMicros, final.CostKnown));
        var run = await _fleet.Client.GetRunAsync(new GetRunRequest { RunId = "eco-1" }).ResponseAsync.DefaultTimeout();
        Assert.True(run.Local);
        Assert.Equal(1234567, run.Parameters.Fields["seed"].NumberValue);
        Assert.Equal("euler", run.Parameters.Fields["sampler"].StringValue);
    }

    [Fact]
    public async Task Generate_ConfigVariant_OverridesTheChunkDefaultsTheWorkflowGets()
    {
        (await _fleet.GenerateAsync(new GenerateRequest
        {
            Prompt = "a fox",
            Config = "sd35_large_highquality",
            Parameters = new GenerationParameters { Seed = 42, Extra = { ["sampler"] = Value.ForString("dpmpp_2m") } },
        })).EnsureOk();

        var extra = Assert.Single(_fleet.ComfyUI.Calls).Request.Extra.Fields;
        Assert.Equal((50, 7.0, "dpmpp_2m", 42), (extra["steps"].NumberValue, extra["cfg"].NumberValue, extra["sampler"].StringValue, extra["seed"].NumberValue));
    }

    [Fact]
    public async Task Generate_TenantWithoutFleetKeys_LocalWorkflowNeedsNoKeyButADeclarativeProviderDoes()
    {
        var tenant = new Caller("alpha", FleetProviderKeys: false);

        (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Mode = "eco" }, headers: tenant.AddTo(null))).EnsureOk();
        var refused = await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "stability-core" }, headers: tenant.AddTo(null));

        Assert.Single(_fleet.ComfyUI.Calls);
        Assert.Equal(StatusCode.FailedPrecondition, refused.Status.StatusCode);
        Assert.Contains("no stability key (x-provider-key-stability)", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(_fleet.Declarative.Calls);
    }

    [Fact]
    public async Task Generate_DeclarativeProviderWithCallerKey_TheKeyAndTheChunkReachOnlyTheDeclarativeAdapter()
    {
        var headers = new Caller("alpha", FleetProviderKeys: false).AddTo(new Metadata { { ProviderKeyHeaders.For("stability"), StabilityKey } });

        var result = (await _fleet.GenerateAsync(new GenerateRequest
        {
            Prompt = "a harbour at dusk",
            Config = "stability-core",
            Parameters = new GenerationParameters { Extra = { ["aspect_ratio"] = Value.ForString("16:9") } },
        }, headers: headers)).EnsureOk();

        Assert.Equal(("stability-core", "stability", "stable-image-core"), (result.Accepted.Config, result.Accepted.Provider, result.Accepted.Model));
        var call = Assert.Single(_fleet.Declarative.Calls);
        Assert.Equal(StabilityKey, call.Headers.GetValue(ProviderAdapter.ProviderKeyHeader));
        Assert.Equal(Operation.Http, call.Request.Operation);
        Assert.Equal("https://api.stability.ai/v2beta/stable-image/generate/core", call.Request.Chunk.ApiConfig.Fields["endpoint"].StringValue);
        Assert.Equal(30_000, call.Request.Chunk.CostPerImageUsdMicros);
        Assert.Equal("16:9", call.Request.Extra.Fields["aspect_ratio"].StringValue);
        Assert.DoesNotContain(_fleet.AdapterCalls, c => !ReferenceEquals(c, call));
    }

    [Fact]
    public async Task Generate_DeclarativeParameterOutsideItsAllowedValues_InvalidArgumentBeforeAnyCall()
    {
        var result = await _fleet.GenerateAsync(new GenerateRequest
        {
            Prompt = "x",
            Config = "flux-schnell",
            Parameters = new GenerationParameters { N = 5, Extra = { ["aspect_ratio"] = Value.ForString("7:3") } },
        });

        Assert.Equal(StatusCode.InvalidArgument, result.Status.StatusCode);
        Assert.Contains("aspect_ratio", result.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("n", result.Detail<Google.Rpc.BadRequest>()!.FieldViolations.Select(v => v.Field.Split('.')[^1]));
        Assert.Empty(_fleet.AdapterCalls);
    }
}
