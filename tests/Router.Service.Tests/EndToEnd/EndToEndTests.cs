using Grpc.Core;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Contracts.Storage.V1;
using Pipeline.Imaging;
using ProviderEmulator;
using ProviderEmulator.Hosting;
using Router.Service.Tests.TestSupport;
using GetRunRequest = Pipeline.Contracts.Storage.V1.GetRunRequest;

namespace Router.Service.Tests.EndToEnd;

/// <summary>
/// Issue 5's acceptance, end to end in-process: router → real OpenAI and OpenRouter adapters → ProviderEmulator (real
/// images, fault injection, traffic log), with the real Storage.Service. Everything on loopback; no real provider is called.
/// </summary>
public sealed class EndToEndTests
{
    [Fact]
    public async Task Generate_FastModeDefault_EmulatorImageInTheConfigsFormatIsStored()
    {
        await using var fleet = await EndToEndFleet.StartAsync();

        var result = (await fleet.GenerateAsync(new GenerateRequest { Prompt = "a lighthouse at dusk", IncludeImageData = true })).EnsureOk();

        Assert.Equal(("gpt-image-1_draft", "openai", "gpt-image-1"), (result.Accepted.Config, result.Accepted.Provider, result.Accepted.Model));
        var final = Assert.Single(result.Finals);
        var info = ImageInspector.Inspect(final.Data.Span);
        Assert.Equal((ImageFormat.Jpeg, 1024, 1024), (info.Format, info.Width, info.Height));   // the draft config's jpeg, the chunk's 1024x1024
        Assert.Equal((FinishReason.Stored, "image/jpeg"), (final.FinishReason, final.MimeType));
        Assert.Equal(final.Data.ToByteArray(), await fleet.Storage.Http.GetByteArrayAsync(final.Storage.UrlPath).DefaultTimeout());
        Assert.Single(fleet.GenerationRequests);
    }

    [Fact]
    public async Task Generate_ConfigAndRequestOverrides_EmulatorProducesWhatTheMergedParametersAsk()
    {
        await using var fleet = await EndToEndFleet.StartAsync();

        var result = (await fleet.GenerateAsync(new GenerateRequest
        {
            Prompt = "a red bicycle",
            Config = "gpt-image-1_highquality",                                       // size 1024x1536, quality high
            Parameters = new GenerationParameters { OutputFormat = "webp", N = 2 },   // format and count from the request
            IncludeImageData = true,
        })).EnsureOk();

        Assert.Equal(2, result.Finals.Count);
        Assert.All(result.Finals, f =>
        {
            var info = ImageInspector.Inspect(f.Data.Span);
            Assert.Equal((ImageFormat.WebP, 1024, 1536), (info.Format, info.Width, info.Height));
        });
        Assert.NotEqual(result.Finals[0].Storage.Sha256, result.Finals[1].Storage.Sha256);
        Assert.Single(fleet.GenerationRequests);
    }

    [Fact]
    public async Task Generate_InvalidParameters_EveryViolationListedAndTheEmulatorIsNotCalled()
    {
        await using var fleet = await EndToEndFleet.StartAsync();

        var result = await fleet.GenerateAsync(new GenerateRequest
        {
            Prompt = "x",
            Config = "gpt-image-1",
            Parameters = new GenerationParameters { Size = "999x999", Background = "glitter", PartialImages = 9 },
        });

        Assert.Equal(StatusCode.InvalidArgument, result.Status.StatusCode);
        var fields = result.Detail<Google.Rpc.BadRequest>()!.FieldViolations.Select(v => v.Field).Order(StringComparer.Ordinal);
        Assert.Equal(["parameters.background", "parameters.partial_images", "parameters.size"], fields);
        Assert.Empty(fleet.Emulator.Traffic.Events);
    }

    [Fact]
    public async Task Generate_ProviderRateLimitsBeforeAnyFrame_FallsBackToTheNextConfig()
    {
        await using var fleet = await EndToEndFleet.StartAsync();
        fleet.Emulator.Faults.RateLimitNextCalls(1);

        var result = (await fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1", RunId = "e2e-fallback" })).EnsureOk();

        Assert.Equal([429, 200], fleet.Emulator.Traffic.Events.Where(e => e.Kind == EmulatorEventKind.RequestCompleted && e.Path == EndToEndFleet.GenerationsPath).Select(e => e.StatusCode));
        Assert.Equal(FinishReason.Stored, Assert.Single(result.Finals).FinishReason);
        var run = await fleet.Storage.Client.GetRunAsync(new GetRunRequest { RunId = "e2e-fallback" }).DefaultTimeout();
        Assert.Equal(("gpt-image-1.5", RunState.Succeeded), (run.Model, run.State));
    }

    [Fact]
    public async Task Generate_ProviderFailsAfterThePartialImage_NoFallback()
    {
        await using var fleet = await EndToEndFleet.StartAsync(new EmulatorOptions { Faults = new EmulatorFaultOptions { Default = "mid-stream-error" } });

        var result = await fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1", Parameters = new() { PartialImages = 2 } });

        Assert.NotEqual(StatusCode.OK, result.Status.StatusCode);
        Assert.NotEmpty(result.Partials);
        Assert.Empty(result.Finals);
        Assert.Single(fleet.GenerationRequests);
    }

    [Fact]
    public async Task Generate_CallerDeadline_ReachesTheEmulatorWhichSeesTheDisconnect()
    {
        await using var fleet = await EndToEndFleet.StartAsync(new EmulatorOptions { Faults = new EmulatorFaultOptions { Default = "latency=60s" } });

        var result = await fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1" }, deadline: TimeSpan.FromSeconds(3));

        Assert.Equal(StatusCode.DeadlineExceeded, result.Status.StatusCode);
        await fleet.Emulator.Traffic.WaitForDisconnectAsync(EndToEndFleet.GenerationsPath).DefaultTimeout();
        Assert.Single(fleet.GenerationRequests);
    }

    [Fact]
    public async Task Generate_CallerCancels_TheEmulatorSeesTheDisconnect()
    {
        await using var fleet = await EndToEndFleet.StartAsync(new EmulatorOptions { Faults = new EmulatorFaultOptions { Default = "latency=60s" } });
        var call = fleet.Client.Generate(new GenerateRequest { Prompt = "x", Config = "gpt-image-1" });
        var reading = GenerateResult.ReadAsync(call);
        await fleet.Emulator.Traffic.WaitForAsync(e => e.Kind == EmulatorEventKind.RequestStarted && e.Path == EndToEndFleet.GenerationsPath).DefaultTimeout();

        call.Dispose();

        await fleet.Emulator.Traffic.WaitForDisconnectAsync(EndToEndFleet.GenerationsPath).DefaultTimeout();
        Assert.Equal(StatusCode.Cancelled, (await reading.DefaultTimeout()).Status.StatusCode);
        Assert.Single(fleet.GenerationRequests);
    }

    [Fact]
    public async Task Generate_SameRunIdTwiceAndConcurrently_OneProviderCall()
    {
        await using var fleet = await EndToEndFleet.StartAsync(new EmulatorOptions { Faults = new EmulatorFaultOptions { Default = "latency=1s" } });
        var request = new GenerateRequest { Prompt = "a kite", Config = "gpt-image-1", RunId = "e2e-once" };

        var first = fleet.GenerateAsync(request);
        await fleet.Emulator.Traffic.WaitForAsync(e => e.Kind == EmulatorEventKind.RequestStarted && e.Path == EndToEndFleet.GenerationsPath).DefaultTimeout();
        var concurrent = fleet.GenerateAsync(request.Clone());
        var results = await Task.WhenAll(first, concurrent).DefaultTimeout();
        var later = (await fleet.GenerateAsync(request.Clone())).EnsureOk();

        Assert.Single(fleet.GenerationRequests);
        Assert.All(results, r => r.EnsureOk());
        Assert.Equal([false, true, true], results.Append(later).Select(r => r.Accepted.Replayed));
        Assert.Single(results.Append(later).Select(r => r.Finals.Single().Storage.Sha256).Distinct());
    }

    [Fact]
    public async Task Generate_StorageDown_ImageSpooledPendingThenDeliveredWithTheSameIdWhenStorageIsBack()
    {
        await using var fleet = await EndToEndFleet.StartAsync();
        await fleet.Storage.StopAsync();

        var result = (await fleet.GenerateAsync(new GenerateRequest { Prompt = "a harbour", Config = "gpt-image-1", IncludeImageData = true })).EnsureOk();

        var final = Assert.Single(result.Finals);
        Assert.Equal((FinishReason.StoragePending, true), (final.FinishReason, final.Storage.Pending));
        Assert.NotEmpty(fleet.Router.SpoolEntries());
        await fleet.Storage.StartAsync();
        await TestTimeouts.WaitUntilAsync(() => fleet.Router.SpoolEntries().Count == 0);
        var run = await fleet.Storage.Client.GetRunAsync(new GetRunRequest { RunId = result.Accepted.RunId }).DefaultTimeout();
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal((final.ImageId, final.Storage.Sha256), (Assert.Single(run.Images).ImageId, run.Images[0].Sha256));
        Assert.Equal(final.Data.ToByteArray(), await fleet.Storage.Http.GetByteArrayAsync(final.Storage.UrlPath).DefaultTimeout());
        Assert.Single(fleet.GenerationRequests);
    }

    [Fact]
    public async Task Generate_EveryOpenAIFallbackRateLimited_FallsBackToGeminiThroughTheOpenRouterAdapter()
    {
        await using var fleet = await EndToEndFleet.StartAsync();
        fleet.Emulator.Faults.RateLimitNextCalls(2);

        var result = (await fleet.GenerateAsync(new GenerateRequest { Prompt = "a lighthouse", Config = "gpt-image-1", IncludeImageData = true })).EnsureOk();

        var completed = fleet.Emulator.Traffic.Events.Where(e => e.Kind == EmulatorEventKind.RequestCompleted).Select(e => (e.Path, e.StatusCode));
        Assert.Equal([(EndToEndFleet.GenerationsPath, 429), (EndToEndFleet.GenerationsPath, 429), (EndToEndFleet.ChatPath, 200)], completed);
        var final = Assert.Single(result.Finals);
        Assert.Equal(ImageFormat.Png, ImageInspector.Inspect(final.Data.Span).Format);
        var run = await fleet.Storage.Client.GetRunAsync(new GetRunRequest { RunId = result.Accepted.RunId }).DefaultTimeout();
        Assert.Equal(("gemini-2.5-flash-image", "openrouter", "google/gemini-2.5-flash-image"), (run.Config, run.Provider, run.Model));
    }

    [Fact]
    public async Task Generate_OpenRouterConfig_ChatImageIsStored()
    {
        await using var fleet = await EndToEndFleet.StartAsync();

        var result = (await fleet.GenerateAsync(new GenerateRequest { Prompt = "a fox", Config = "gemini-2.5-flash-image", IncludeImageData = true })).EnsureOk();

        Assert.Equal(("openrouter", "google/gemini-2.5-flash-image"), (result.Accepted.Provider, result.Accepted.Model));
        var final = Assert.Single(result.Finals);
        Assert.Equal(final.Data.ToByteArray(), await fleet.Storage.Http.GetByteArrayAsync(final.Storage.UrlPath).DefaultTimeout());
        Assert.Single(fleet.Emulator.Traffic.Events, e => e.Kind == EmulatorEventKind.RequestStarted && e.Path == EndToEndFleet.ChatPath);
    }
}
