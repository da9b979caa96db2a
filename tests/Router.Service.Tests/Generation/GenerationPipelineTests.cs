using System.Security.Cryptography;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Contracts.Storage.V1;
using Router.Service.Catalogue;
using Router.Service.Tests.Catalogue;
using Router.Service.Tests.TestSupport;
using GetRunRequest = Pipeline.Contracts.Storage.V1.GetRunRequest;

namespace Router.Service.Tests.Generation;

/// <summary>
/// Generate over gRPC, end to end inside the process: the router resolves and validates, calls the scripted adapter
/// found through service discovery, relays its frames and stores every final image in the real Storage.Service.
/// </summary>
public sealed class GenerationPipelineTests : IAsyncLifetime
{
    private static readonly CatalogueSnapshot s_catalogue = CatalogueLoader.LoadOrThrow(TestCatalogue.ShippedDirectory);
    private TestFleet _fleet = null!;

    public async ValueTask InitializeAsync() => _fleet = await TestFleet.StartAsync();

    public async ValueTask DisposeAsync() => await _fleet.DisposeAsync();

    [Theory]
    [InlineData("fast")]
    [InlineData("eco")]
    [InlineData("quality")]
    public async Task Generate_NoConfigGiven_UsesTheDefaultConfigOfTheMode(string mode)
    {
        var expected = s_catalogue.Configs[s_catalogue.Defaults["image"][mode]];

        var result = (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "a lighthouse", Mode = mode })).EnsureOk();

        Assert.Equal((expected.Name, expected.Chunk.Model, expected.Chunk.Provider), (result.Accepted.Config, result.Accepted.Model, result.Accepted.Provider));
        var call = Assert.Single(_fleet.AdapterCalls);
        Assert.Same(call, Assert.Single(_fleet.Adapters[expected.Chunk.Adapter].Calls));
        Assert.Equal(expected.Chunk.Model, call.Request.Model);
        Assert.Equal(expected.Parameters.Quality ?? "", call.Request.Quality);
        Assert.Equal(expected.Parameters.OutputFormat ?? "", call.Request.OutputFormat);
        Assert.Equal(expected.Parameters.Size ?? "", call.Request.Size);
    }

    [Fact]
    public async Task Generate_NoConfigNoMode_UsesTheFastDefault()
    {
        var result = (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "a lighthouse" })).EnsureOk();

        Assert.Equal(s_catalogue.Defaults["image"]["fast"], result.Accepted.Config);
    }

    [Fact]
    public async Task Generate_ConfigAndRequestOverrides_AdapterSeesChunkDefaultsUnderConfigUnderRequest()
    {
        var request = new GenerateRequest
        {
            Prompt = "a red bicycle",
            Config = "gpt-image-1_highquality",
            Parameters = new GenerationParameters { Size = "1536x1024", N = 2, Background = "opaque" },
        };
        request.Parameters.Extra["moderation"] = Value.ForString("low");

        var result = (await _fleet.GenerateAsync(request)).EnsureOk();

        var sent = Assert.Single(_fleet.OpenAI.Calls).Request;
        Assert.Equal(Operation.Generate, sent.Operation);
        Assert.Equal("gpt-image-1", sent.Model);
        Assert.Equal("1536x1024", sent.Size);          // request beats the config's 1024x1536
        Assert.Equal("high", sent.Quality);            // config beats the chunk's auto
        Assert.Equal("opaque", sent.Background);       // request beats the chunk's auto
        Assert.Equal("png", sent.OutputFormat);        // chunk default
        Assert.Equal(2, sent.N);
        Assert.Equal("low", sent.Extra.Fields["moderation"].StringValue);
        Assert.Equal("a red bicycle", sent.Prompt);
        Assert.Equal(result.Accepted.RunId, sent.RunId);
        Assert.Equal(2, result.Accepted.ImageCount);
        Assert.Equal([0, 1], result.Finals.Select(f => f.ImageIndex));
        Assert.Equal([false, true], result.Finals.Select(f => f.Last));
    }

    [Fact]
    public async Task Generate_ConfigWithContext_AdapterGetsThePromptWithTheContext()
    {
        var config = s_catalogue.Configs.Values.FirstOrDefault(c => c.Context is not null);
        Assert.SkipWhen(config is null, "the shipped catalogue has no config with a prompt context");

        (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "a fox", Config = config.Name })).EnsureOk();

        Assert.Equal(config.Context!.Apply("a fox"), Assert.Single(_fleet.AdapterCalls).Request.Prompt);
    }

    [Fact]
    public async Task Generate_FinalFrame_ComesAfterTheImageIsInStorage()
    {
        var result = (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "a lighthouse", Config = "gpt-image-1" })).EnsureOk();

        var final = Assert.Single(result.Finals);
        var expected = AdapterScripts.ImageFor(Assert.Single(_fleet.OpenAI.Calls).Request, 0);
        Assert.Equal(FinishReason.Stored, final.FinishReason);
        Assert.True(final.Last);
        Assert.False(final.Storage.Pending);
        Assert.Equal($"{result.Accepted.RunId}-0", final.ImageId);
        Assert.Equal(final.ImageId, final.Storage.ImageId);
        Assert.Equal($"/images/{final.ImageId}", final.Storage.UrlPath);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected)), final.Storage.Sha256);
        Assert.Equal(expected.Length, final.Storage.SizeBytes);
        Assert.True(final.Data.IsEmpty);
        Assert.Equal(expected, await _fleet.Storage.Http.GetByteArrayAsync(final.Storage.UrlPath).DefaultTimeout());
        var run = await _fleet.Storage.Client.GetRunAsync(new GetRunRequest { RunId = result.Accepted.RunId }).DefaultTimeout();
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("gpt-image-1", run.Config);
        Assert.Equal("a lighthouse", run.Prompt);
        Assert.Equal(11_000, run.CostUsdMicros);
    }

    [Fact]
    public async Task Generate_AdapterDoesNotKnowThePrice_FinalSaysCostUnknownWithItsLowerBound()
    {
        _fleet.OpenAI.Script("gpt-image-1", AdapterScripts.UnknownCost());

        var final = Assert.Single((await _fleet.GenerateAsync(new GenerateRequest { Prompt = "a lighthouse", Config = "gpt-image-1" })).EnsureOk().Finals);

        Assert.Equal((4_000L, false, 4_000L), (final.CostUsdMicros, final.CostKnown, final.ChargedUsdMicros));
    }

    [Fact]
    public async Task Generate_IncludeImageData_FinalCarriesTheBytes()
    {
        var result = (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "a lighthouse", Config = "gpt-image-1", IncludeImageData = true })).EnsureOk();

        Assert.Equal(AdapterScripts.ImageFor(_fleet.OpenAI.Calls[0].Request, 0), Assert.Single(result.Finals).Data.ToByteArray());
    }

    [Fact]
    public async Task Generate_PartialImages_EachIsRelayedBeforeTheAdapterFinishes()
    {
        var release = new TaskCompletionSource();
        _fleet.OpenAI.Script("gpt-image-1", AdapterScripts.PartialsThenWait(release.Task));
        using var call = _fleet.Client.Generate(new GenerateRequest
        {
            Prompt = "a lighthouse",
            Config = "gpt-image-1",
            Parameters = new GenerationParameters { PartialImages = 2 },
        });
        await using var frames = call.ResponseStream.ReadAllAsync().GetAsyncEnumerator();

        Assert.True(await frames.MoveNextAsync().AsTask().DefaultTimeout());
        Assert.Equal(GenerateFrame.FrameOneofCase.Accepted, frames.Current.FrameCase);
        for (var i = 0; i < 2; i++)
        {
            Assert.True(await frames.MoveNextAsync().AsTask().DefaultTimeout());
            Assert.Equal((0, i), (frames.Current.Partial.ImageIndex, frames.Current.Partial.PartialIndex));
            Assert.False(frames.Current.Partial.Data.IsEmpty);
        }
        Assert.False(release.Task.IsCompleted);   // the adapter is still holding its final image back
        release.SetResult();
        Assert.True(await frames.MoveNextAsync().AsTask().DefaultTimeout());
        Assert.True(frames.Current.Final.Last);
        Assert.False(await frames.MoveNextAsync().AsTask().DefaultTimeout());
    }

    [Fact]
    public async Task Generate_InvalidParameters_InvalidArgumentListsEveryViolationWithTheAllowedValues()
    {
        var request = new GenerateRequest
        {
            Prompt = "",
            Config = "gpt-image-1",
            RunId = "../etc",
            Parameters = new GenerationParameters { Size = "13x7", Quality = "ultra", N = 99, OutputFormat = "gif" },
        };
        request.Parameters.Extra["nonsense"] = Value.ForBool(true);

        var result = await _fleet.GenerateAsync(request);

        Assert.Equal(StatusCode.InvalidArgument, result.Status.StatusCode);
        Assert.Empty(result.Frames);
        var fields = result.Detail<BadRequest>()!.FieldViolations.ToDictionary(v => v.Field, v => v.Description);
        Assert.Equal(
            ["parameters.extra.nonsense", "parameters.n", "parameters.output_format", "parameters.quality", "parameters.size", "prompt", "run_id"],
            fields.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("low, medium, high, auto", fields["parameters.quality"]);
        Assert.Contains("1024x1024", fields["parameters.size"]);
        Assert.Contains("1-10", fields["parameters.n"]);
        Assert.Contains("png, jpeg, webp", fields["parameters.output_format"]);
        Assert.Contains("moderation", fields["parameters.extra.nonsense"]);
        Assert.Contains("[A-Za-z0-9_-]", fields["run_id"]);
        foreach (var description in fields.Values)
        {
            Assert.Contains(description, result.Status.Detail);
        }
        Assert.Empty(_fleet.AdapterCalls);
    }

    [Fact]
    public async Task Generate_UnknownConfig_NotFoundNamingTheKnownConfigs()
    {
        var result = await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "no-such-config" });

        Assert.Equal(StatusCode.NotFound, result.Status.StatusCode);
        Assert.Contains("'no-such-config'", result.Status.Detail);
        Assert.Contains("gpt-image-1_highquality", result.Status.Detail);
        Assert.Empty(_fleet.AdapterCalls);
    }

    [Fact]
    public async Task Generate_UnknownMode_NotFoundNamingTheModes()
    {
        var result = await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Mode = "turbo" });

        Assert.Equal(StatusCode.NotFound, result.Status.StatusCode);
        Assert.Contains("'turbo'", result.Status.Detail);
        Assert.Contains("eco", result.Status.Detail);
    }

    [Fact]
    public async Task Generate_InputImageForAConfigWithoutInputs_InvalidArgument()
    {
        var request = new GenerateRequest { Prompt = "x", Config = "gpt-image-1" };
        request.InputImages.Add(new Pipeline.Contracts.Common.V1.InputImage { Url = "https://example.com/cat.png" });

        var result = await _fleet.GenerateAsync(request);

        Assert.Equal(StatusCode.InvalidArgument, result.Status.StatusCode);
        var fields = result.Detail<BadRequest>()!.FieldViolations.Select(v => v.Field).ToList();
        Assert.Contains("input_images", fields);
        Assert.Contains("input_images[0].url", fields);
    }

    [Theory]
    [InlineData("input_images[0].data", "truncated png", "input_images[0].data is not a complete image: PNG ends inside chunk IDAT, without IEND (")]
    [InlineData("input_images[0].url", "jpeg without eoi", "input_images[0].url is not a complete image: JPEG has no EOI marker: it ends inside the entropy-coded data of scan 1")]
    [InlineData("mask.data", "60000x60000 png", "mask.data is refused: PNG declares 60000x60000 pixels (3600 MP); the limit is 100 MP and 16384 per side")]
    [InlineData("mask.data", "truncated png", "mask.data is not a complete image: PNG ends inside chunk IDAT")]
    [InlineData("input_images[0].data", "60000x60000 png", "input_images[0].data is refused: PNG declares 60000x60000 pixels (3600 MP)")]
    public async Task Generate_IncompleteOrOversizedInputImage_InvalidArgumentNamingItBeforeAnyAdapterCall(string field, string damage, string message)
    {
        var bytes = damage switch
        {
            "truncated png" => TestImages.TruncatedPng(),
            "jpeg without eoi" => TestImages.JpegWithoutEoi(),
            _ => TestImages.PngDeclaring(60_000, 60_000),
        };
        var damaged = field.EndsWith(".url", StringComparison.Ordinal)
            ? new Pipeline.Contracts.Common.V1.InputImage { Url = "data:image/jpeg;base64," + Convert.ToBase64String(bytes) }
            : new Pipeline.Contracts.Common.V1.InputImage { Data = Google.Protobuf.ByteString.CopyFrom(bytes) };
        var request = new GenerateRequest { Prompt = "give it a hat", Config = "gpt-image-1_edit" };
        request.InputImages.Add(field.StartsWith("mask", StringComparison.Ordinal)
            ? new Pipeline.Contracts.Common.V1.InputImage { Data = Google.Protobuf.ByteString.CopyFrom(TestImages.Png(16, 16)) }
            : damaged);
        if (field.StartsWith("mask", StringComparison.Ordinal))
        {
            request.Mask = damaged;
        }

        var result = await _fleet.GenerateAsync(request);

        Assert.Equal(StatusCode.InvalidArgument, result.Status.StatusCode);
        var violation = Assert.Single(result.Detail<BadRequest>()!.FieldViolations);
        Assert.Equal(field, violation.Field);
        Assert.StartsWith(message, violation.Description, StringComparison.Ordinal);
        Assert.Contains(message, result.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(_fleet.AdapterCalls);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_fleet.Storage.DataDirectory, "blobs"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Generate_EditWithStoredInputImage_AdapterGetsItsBytes()
    {
        var first = (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "a cat", Config = "gpt-image-1" })).EnsureOk();
        var stored = await _fleet.Storage.Http.GetByteArrayAsync(first.Finals[0].Storage.UrlPath).DefaultTimeout();
        var request = new GenerateRequest { Prompt = "give it a hat", Config = "gpt-image-1_edit" };
        request.InputImages.Add(new Pipeline.Contracts.Common.V1.InputImage { ImageId = first.Finals[0].ImageId });
        request.InputImages.Add(new Pipeline.Contracts.Common.V1.InputImage { Url = "data:image/png;base64," + Convert.ToBase64String(TestImages.Png(seed: 5)) });

        (await _fleet.GenerateAsync(request)).EnsureOk();

        var sent = _fleet.OpenAI.Calls[^1].Request;
        Assert.Equal(Operation.Edit, sent.Operation);
        Assert.Equal(stored, sent.InputImages[0].Data.ToByteArray());
        Assert.Equal(TestImages.Png(seed: 5), sent.InputImages[1].Data.ToByteArray());
        Assert.All(sent.InputImages, i => Assert.Equal("image/png", i.MimeType));
    }

    [Fact]
    public async Task Generate_ProviderKeyMetadata_IsPassedToTheAdapter()
    {
        (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1" },
            headers: new Metadata { { Pipeline.ServiceDefaults.Security.ProviderKeyHeaders.OpenAI, "sk-caller-own" } })).EnsureOk();

        Assert.Equal("sk-caller-own", Assert.Single(_fleet.OpenAI.Calls).Headers.GetValue(ProviderAdapter.ProviderKeyHeader));
        Assert.DoesNotContain(_fleet.Router.Logs, e => e.Message.Contains("sk-caller-own", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Generate_AdapterEndsWithFewerFinalsThanImages_InternalAndRunFailed()
    {
        _fleet.OpenAI.Script("gpt-image-1", async (call, stream, cancellationToken) =>
            await stream.WriteAsync(AdapterScripts.Final(call.Request, 0), cancellationToken));

        var result = await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1", Parameters = new GenerationParameters { N = 2 } });

        Assert.Equal(StatusCode.Internal, result.Status.StatusCode);
        Assert.Contains("1 of 2", result.Status.Detail);
        Assert.False(Assert.Single(result.Finals).Last);
        var run = await _fleet.Storage.Client.GetRunAsync(new GetRunRequest { RunId = result.Accepted.RunId }).DefaultTimeout();
        Assert.Equal(RunState.Failed, run.State);
        Assert.Single(run.Images);
    }
}
