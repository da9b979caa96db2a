using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ComfyUI.Adapter.Tests.TestSupport;
using Grpc.Core;
using Pipeline.Imaging;
using ProviderEmulator.Hosting;

namespace ComfyUI.Adapter.Tests;

/// <summary>The shipped SD3.5 Large chunk through the adapter's gRPC service against the emulator's ComfyUI.</summary>
public sealed class ComfyUIImageProviderTests
{
    [Fact]
    public async Task Generate_Chunk_StreamsPreviewsAsPartialsThenALocalFreeFinal()
    {
        await using var host = await AdapterHost.StartAsync();

        var (frames, status) = await host.GenerateAsync(Chunks.Request());

        StatusAssert.Ok(status);
        var partials = frames.TakeWhile(f => f.Partial is not null).Select(f => f.Partial).ToList();
        Assert.Equal(4, partials.Count);
        Assert.Equal([0, 1, 2, 3], partials.Select(p => p.PartialIndex));
        Assert.All(partials, p => Assert.Equal((0, "image/jpeg", ImageFormat.Jpeg), (p.ImageIndex, p.MimeType, ImageInspector.Inspect(p.Data.Span).Format)));
        var final = Assert.Single(frames.Skip(partials.Count)).Final;
        Assert.NotNull(final);
        Assert.Equal((ImageFormat.Png, 256, 256), (ImageInspector.Inspect(final.Data.Span).Format, final.Width, final.Height));
        Assert.Equal((0L, true, true), (final.CostUsdMicros, final.CostKnown, final.Local));
        Assert.Equal("sd3.5_large", final.Model);
        Assert.NotEmpty(final.ProviderRequestId);
    }

    [Fact]
    public async Task Generate_PartialImagesTwo_SendsTwoPreviewsSpreadOverTheRun()
    {
        await using var host = await AdapterHost.StartAsync();

        var (frames, status) = await host.GenerateAsync(Chunks.Request(partialImages: 2));

        StatusAssert.Ok(status);
        Assert.Equal([0, 1], frames.Where(f => f.Partial is not null).Select(f => f.Partial.PartialIndex));
        Assert.Single(frames, f => f.Final is not null);
    }

    [Fact]
    public async Task Generate_NoParametersGiven_ChunkDefaultsAndADrawnSeedAreSentAndReported()
    {
        await using var host = await AdapterHost.StartAsync();

        var (frames, status) = await host.GenerateAsync(Chunks.Request(prompt: "a red fox in snow"));

        StatusAssert.Ok(status);
        var final = frames.Single(f => f.Final is not null).Final;
        var effective = final.EffectiveParameters.Fields;
        Assert.Equal(["cfg", "height", "n", "negative_prompt", "sampler", "scheduler", "seed", "steps", "width"], effective.Keys.Order());
        Assert.Equal((25d, 5.5d, "euler", 256d, 256d, 1d, ""), (effective["steps"].NumberValue, effective["cfg"].NumberValue,
            effective["sampler"].StringValue, effective["width"].NumberValue, effective["height"].NumberValue, effective["n"].NumberValue,
            effective["negative_prompt"].StringValue));
        var seed = effective["seed"].NumberValue;
        Assert.InRange(seed, 0, uint.MaxValue);
        var workflow = (await host.HistoryAsync(final.ProviderRequestId))["prompt"]![2]!;
        Assert.Equal("a red fox in snow", workflow["16"]!["inputs"]!["text"]!.GetValue<string>());
        Assert.Equal("", workflow["40"]!["inputs"]!["text"]!.GetValue<string>());
        var sampler = workflow["3"]!["inputs"]!;
        Assert.Equal(((long)seed, 25, 5.5, "euler", "sgm_uniform"), (sampler["seed"]!.GetValue<long>(), sampler["steps"]!.GetValue<int>(),
            sampler["cfg"]!.GetValue<double>(), sampler["sampler_name"]!.GetValue<string>(), sampler["scheduler"]!.GetValue<string>()));
        var latent = workflow["53"]!["inputs"]!;
        Assert.Equal((256, 256, 1), (latent["width"]!.GetValue<int>(), latent["height"]!.GetValue<int>(), latent["batch_size"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Generate_ParametersInExtra_OverrideTheDefaultsInTheNodeInputs()
    {
        await using var host = await AdapterHost.StartAsync();
        var extra = new JsonObject { ["seed"] = 42, ["steps"] = 8, ["cfg"] = 7.0, ["sampler"] = "dpmpp_2m", ["negative_prompt"] = "blurry" };

        var (frames, status) = await host.GenerateAsync(Chunks.Request(size: "320x192", extra: extra));

        StatusAssert.Ok(status);
        var final = frames.Single(f => f.Final is not null).Final;
        Assert.Equal((320, 192), (final.Width, final.Height));
        var effective = final.EffectiveParameters.Fields;
        Assert.Equal((42d, 8d, 7d, "dpmpp_2m", "blurry"), (effective["seed"].NumberValue, effective["steps"].NumberValue, effective["cfg"].NumberValue,
            effective["sampler"].StringValue, effective["negative_prompt"].StringValue));
        var workflow = (await host.HistoryAsync(final.ProviderRequestId))["prompt"]![2]!;
        var sampler = workflow["3"]!["inputs"]!;
        // Integral numbers travel as integers ("seed": 42, not 42.0), as ComfyUI's INT inputs expect.
        Assert.Equal(("42", "8", "dpmpp_2m"), (sampler["seed"]!.ToJsonString(), sampler["steps"]!.ToJsonString(), sampler["sampler_name"]!.GetValue<string>()));
        Assert.Equal("blurry", workflow["40"]!["inputs"]!["text"]!.GetValue<string>());
        Assert.Equal((320, 192), (workflow["53"]!["inputs"]!["width"]!.GetValue<int>(), workflow["53"]!["inputs"]!["height"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Generate_NTwo_BatchOfTwoGivesTwoFinals()
    {
        await using var host = await AdapterHost.StartAsync();

        var (frames, status) = await host.GenerateAsync(Chunks.Request(n: 2));

        StatusAssert.Ok(status);
        var finals = frames.Where(f => f.Final is not null).Select(f => f.Final).ToList();
        Assert.Equal([0, 1], finals.Select(f => f.ImageIndex));
        Assert.NotEqual(finals[0].Sha256, finals[1].Sha256);
        Assert.All(finals, f => Assert.Equal(2d, f.EffectiveParameters.Fields["n"].NumberValue));
    }

    [Fact]
    public async Task Generate_NodeValidationError_InvalidArgumentNamingNodeClassAndInput()
    {
        await using var host = await AdapterHost.StartAsync();

        var (frames, status) = await host.GenerateAsync(Chunks.Request(extra: new JsonObject { ["steps"] = 0 }));

        Assert.Empty(frames);
        StatusAssert.Code(StatusCode.InvalidArgument, status);
        Assert.Contains("node 3 (KSampler) input 'steps': Value 0 smaller than min of 1", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_MappingToAMissingNode_InvalidArgumentNamingTheMapping()
    {
        await using var host = await AdapterHost.StartAsync();
        var chunk = Chunks.Load();
        chunk["input_mappings"]!["steps"]!["field"] = "99.inputs.steps";

        var (_, status) = await host.GenerateAsync(Chunks.Request(chunk: chunk));

        StatusAssert.Code(StatusCode.InvalidArgument, status);
        Assert.Contains("'steps' to '99.inputs.steps', but the workflow has no node '99'", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_ExecutionError_UnavailableNamingTheNode()
    {
        await using var host = await AdapterHost.StartAsync(fault: "mid-stream-error");

        var (frames, status) = await host.GenerateAsync(Chunks.Request());

        StatusAssert.Code(StatusCode.Unavailable, status);
        Assert.Contains("node 3 (KSampler)", status.Message, StringComparison.Ordinal);
        Assert.Contains("out of memory", status.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(frames, f => f.Final is not null);
    }

    [Fact]
    public async Task Generate_CancelledMidRun_InterruptReachesTheEmulator()
    {
        await using var host = await AdapterHost.StartAsync(fault: "partial-delay=100ms");
        using var cancel = new CancellationTokenSource();
        using var call = host.Client.Generate(Chunks.Request(), new CallOptions(deadline: DateTime.UtcNow + TestTimeouts.Default, cancellationToken: cancel.Token));

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());
        Assert.NotNull(call.ResponseStream.Current.Partial);
        await cancel.CancelAsync();

        var interrupt = await host.Emulator.Traffic.WaitForAsync(e => e.Kind == EmulatorEventKind.RequestCompleted && e.Path == "/comfyui/interrupt").DefaultTimeout();
        Assert.Equal(("POST", 200), (interrupt.Method, interrupt.StatusCode));
        await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None)).DefaultTimeout();
    }

    [Fact]
    public async Task Generate_ComfyUIUnreachable_Unavailable()
    {
        await using var host = await AdapterHost.StartAsync(baseUrl: $"http://127.0.0.1:{ClosedPort()}/comfyui");

        var (frames, status) = await host.GenerateAsync(Chunks.Request());

        Assert.Empty(frames);
        StatusAssert.Code(StatusCode.Unavailable, status);
        Assert.Contains("websocket", status.Message, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
