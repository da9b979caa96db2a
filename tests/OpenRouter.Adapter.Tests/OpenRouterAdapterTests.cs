using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Rpc;
using OpenRouter.Adapter.Tests.TestSupport;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers;
using Grpc.Core;
using Pipeline.ServiceDefaults.Grpc;
using ProviderEmulator;
using ProviderEmulator.Hosting;
using RpcStatus = Google.Rpc.Status;

namespace OpenRouter.Adapter.Tests;

/// <summary>The adapter as a gRPC service: retries, cancellation, deadlines, keys, the concurrency cap, validation, ListModels.</summary>
public sealed class OpenRouterAdapterTests
{
    [Fact]
    public async Task Generate_ProviderReturns429_RetriesAfterTheRetryAfterHeader()
    {
        await using var host = await AdapterHost.StartAsync(settings: Settings(("OpenRouter:Retry:MaxRetries", "2")));
        host.Emulator.Faults.RateLimitNextCalls(1);

        var (frames, status) = await host.GenerateAsync(Requests.Small());

        StatusAssert.Ok(status);
        Assert.Single(frames);
        var starts = host.Emulator.Traffic.Events.Where(e => e.Kind == EmulatorEventKind.RequestStarted).ToList();
        Assert.Equal(2, starts.Count);
        Assert.Contains(host.Emulator.Traffic.Events, e => e.Kind == EmulatorEventKind.RequestCompleted && e.StatusCode == 429);
        // Retry-After: 1 (s) was waited for after the 429, not the 50 ms base delay.
        var gap = starts[1].At - starts[0].At;
        Assert.True(gap >= TimeSpan.FromMilliseconds(990), $"retried {gap.TotalMilliseconds} ms after the first attempt started");
    }

    [Fact]
    public async Task Generate_ProviderUnavailable_RetriedUpToMaxRetriesThenUnavailable()
    {
        await using var host = await AdapterHost.StartAsync(fault: "status=503", settings: Settings(("OpenRouter:Retry:MaxRetries", "2")));

        var (_, status) = await host.GenerateAsync(Requests.Small());

        StatusAssert.Code(StatusCode.Unavailable, status);
        Assert.Equal(3, host.ChatRequestsStarted);
    }

    [Fact]
    public async Task Generate_RetryAfterLongerThanMaxDelay_NotRetriedAndTheDelayGoesBack()
    {
        await using var host = await AdapterHost.StartAsync(fault: "rate-limit=60",
            settings: Settings(("OpenRouter:Retry:MaxRetries", "2"), ("OpenRouter:Retry:MaxDelay", "00:00:30")));

        var (_, status) = await host.GenerateAsync(Requests.Small());

        StatusAssert.Code(StatusCode.ResourceExhausted, status);
        Assert.Equal(TimeSpan.FromSeconds(60), status.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan());
        Assert.Equal(1, host.ChatRequestsStarted);
    }

    [Fact]
    public async Task Generate_RetryAfterBeyondTheCallDeadline_NotRetriedAndResourceExhaustedAtOnce()
    {
        await using var host = await AdapterHost.StartAsync(fault: "rate-limit=20", settings: Settings(("OpenRouter:Retry:MaxRetries", "2")));

        var (_, status) = await host.GenerateAsync(Requests.Small(), AdapterHost.Deadline(TimeSpan.FromSeconds(10)));

        StatusAssert.Code(StatusCode.ResourceExhausted, status);
        Assert.Equal(1, host.ChatRequestsStarted);
    }

    [Fact]
    public async Task Generate_FailureAfterTheFirstFrame_NeverRetried()
    {
        // Two images take two calls. The first call streams its image (a frame reaches the caller) and then pauses 3 s
        // before its usage chunk; meanwhile the emulator is told to rate-limit the next call, which is the second one.
        await using var host = await AdapterHost.StartAsync(fault: "partial-delay=3s", settings: Settings(("OpenRouter:Retry:MaxRetries", "2")));
        using var call = host.Client.Generate(Requests.Small(partialImages: 1, n: 2), AdapterHost.Deadline());
        var frames = new List<ProviderFrame>();
        var status = new RpcStatus();
        try
        {
            await foreach (var frame in call.ResponseStream.ReadAllAsync())
            {
                if (frames.Count == 0)
                {
                    host.Emulator.Faults.RateLimitNextCalls(1);
                }
                frames.Add(frame);
            }
        }
        catch (RpcException ex)
        {
            status = ex.ToRichStatus();
        }

        Assert.Equal([ProviderFrame.FrameOneofCase.Partial, ProviderFrame.FrameOneofCase.Final], frames.Select(f => f.FrameCase));
        StatusAssert.Code(StatusCode.ResourceExhausted, status);
        Assert.Equal(2, host.ChatRequestsStarted);
    }

    [Fact]
    public async Task Generate_CallerCancels_EmulatorSeesTheDisconnect()
    {
        await using var host = await AdapterHost.StartAsync(fault: "partial-delay=60s");
        using var cancel = new CancellationTokenSource();
        var run = host.GenerateAsync(Requests.Small(partialImages: 1), AdapterHost.Deadline(cancellationToken: cancel.Token));
        await host.Emulator.Traffic.WaitForAsync(e => e.Kind == EmulatorEventKind.RequestStarted).DefaultTimeout();

        await cancel.CancelAsync();

        var (frames, status) = await run.DefaultTimeout();
        Assert.Empty(frames);
        StatusAssert.Code(StatusCode.Cancelled, status);
        var disconnect = await host.Emulator.Traffic.WaitForDisconnectAsync(AdapterHost.ChatPath).DefaultTimeout();
        Assert.Equal("partial-delay=60s", disconnect.Faults);
    }

    [Fact]
    public async Task Generate_CallerKeyInMetadata_UsedInsteadOfTheConfiguredKey()
    {
        const string callerKey = "sk-or-v1-caller-fedcba9876543210";
        await using var host = await AdapterHost.StartAsync(emulatorOptions: new EmulatorOptions { ApiKeys = [callerKey] });

        var (withCallerKey, ok) = await host.GenerateAsync(Requests.Small(), AdapterHost.WithKey(callerKey));
        var (_, rejected) = await host.GenerateAsync(Requests.Small());

        StatusAssert.Ok(ok);
        Assert.Single(withCallerKey);
        // Without the caller's key the configured one goes out, and this emulator accepts only the caller's.
        StatusAssert.Code(StatusCode.Unauthenticated, rejected);
        Assert.Equal("401", rejected.GetDetail<ErrorInfo>()!.Metadata["http_status"]);
        Assert.Equal(
            [$"Bearer {callerKey}", $"Bearer {AdapterHost.ConfiguredKey}"],
            host.Outgoing.All.Where(r => r.Uri!.AbsolutePath == AdapterHost.ChatPath).Select(r => r.Headers["Authorization"]));
    }

    [Fact]
    public async Task Generate_NoKeyConfiguredOrSent_UnauthenticatedNamingWhatToSet()
    {
        await using var host = await AdapterHost.StartAsync(settings: Settings(("OpenRouter:ApiKey", ""), ("OPENROUTER_API_KEY", "")));

        var (_, status) = await host.GenerateAsync(Requests.Small());

        StatusAssert.Code(StatusCode.Unauthenticated, status);
        Assert.Contains("OPENROUTER_API_KEY", status.Message);
        Assert.Contains("x-provider-key", status.Message);
        Assert.Equal(0, host.ChatRequestsStarted);
    }

    [Fact]
    public async Task Generate_KeyFromEnvironmentVariable_Used()
    {
        await using var host = await AdapterHost.StartAsync(settings: Settings(("OpenRouter:ApiKey", ""), ("OPENROUTER_API_KEY", "sk-or-from-env")));

        var (_, status) = await host.GenerateAsync(Requests.Small());

        StatusAssert.Ok(status);
        Assert.Equal("Bearer sk-or-from-env", Assert.Single(host.Outgoing.All).Headers["Authorization"]);
    }

    [Fact]
    public async Task Generate_KeyFromKeyFile_UsedTrimmed()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "  sk-or-from-file\n");
            await using var host = await AdapterHost.StartAsync(settings: Settings(("OpenRouter:ApiKey", ""), ("OPENROUTER_API_KEY", ""), ("OpenRouter:ApiKeyFile", file)));

            var (_, status) = await host.GenerateAsync(Requests.Small());

            StatusAssert.Ok(status);
            Assert.Equal("Bearer sk-or-from-file", Assert.Single(host.Outgoing.All).Headers["Authorization"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Generate_ConcurrencyCapAndQueueFull_ResourceExhaustedWithRetryInfo()
    {
        await using var host = await AdapterHost.StartAsync(fault: "latency=60s",
            settings: Settings(("OpenRouter:MaxConcurrentCalls", "1"), ("OpenRouter:QueueLimit", "0")));
        using var cancel = new CancellationTokenSource();
        var holding = host.GenerateAsync(Requests.Small(), AdapterHost.Deadline(cancellationToken: cancel.Token));
        await host.Emulator.Traffic.WaitForAsync(e => e.Kind == EmulatorEventKind.RequestStarted).DefaultTimeout();

        var (frames, status) = await host.GenerateAsync(Requests.Small());

        Assert.Empty(frames);
        StatusAssert.Code(StatusCode.ResourceExhausted, status);
        Assert.NotNull(status.GetDetail<RetryInfo>());
        Assert.Equal("adapter_busy", status.GetDetail<ErrorInfo>()!.Reason);
        Assert.Equal(1, host.ChatRequestsStarted);
        await cancel.CancelAsync();
        StatusAssert.Code(StatusCode.Cancelled, (await holding.DefaultTimeout()).Status);
    }

    [Fact]
    public async Task Generate_CallWaitsInTheQueue_RunsWhenASlotFrees()
    {
        await using var host = await AdapterHost.StartAsync(fault: "latency=1s",
            settings: Settings(("OpenRouter:MaxConcurrentCalls", "1"), ("OpenRouter:QueueLimit", "1")));

        var results = await Task.WhenAll(host.GenerateAsync(Requests.Small("one")), host.GenerateAsync(Requests.Small("two"))).DefaultTimeout();

        Assert.All(results, r => StatusAssert.Ok(r.Status));
        // Each call takes at least the injected 1 s; the queued one can only start once the first has finished.
        var starts = host.Emulator.Traffic.Events.Where(e => e.Kind == EmulatorEventKind.RequestStarted).ToList();
        Assert.Equal(2, starts.Count);
        Assert.True(starts[1].At - starts[0].At >= TimeSpan.FromMilliseconds(990), "the queued call started before the first one finished");
    }

    [Fact]
    public async Task Generate_InvalidRequest_InvalidArgumentListingEveryViolation()
    {
        await using var host = await AdapterHost.StartAsync();
        var request = new ProviderRequest { Model = Requests.Gemini, Prompt = " ", PartialImages = 4, N = 9 };

        var (_, status) = await host.GenerateAsync(request);

        StatusAssert.Code(StatusCode.InvalidArgument, status);
        var fields = status.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field);
        Assert.Equal(["operation", "prompt", "partial_images", "n"], fields);
        Assert.Equal(0, host.ChatRequestsStarted);
    }

    [Fact]
    public async Task Generate_OperationOtherThanChat_InvalidArgument()
    {
        await using var host = await AdapterHost.StartAsync();
        var request = Requests.Small();
        request.Operation = Operation.Generate;

        var (_, status) = await host.GenerateAsync(request);

        StatusAssert.Code(StatusCode.InvalidArgument, status);
        Assert.Contains("OPERATION_CHAT", status.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, host.ChatRequestsStarted);
    }

    [Fact]
    public async Task Generate_RequestJustUnder64MiB_AcceptedAndTheInputImagesReachTheProvider()
    {
        await using var host = await AdapterHost.StartAsync();
        // Two valid PNGs of 30 MiB each (a private ancillary chunk that decoders skip): 60 MiB on the wire, above every
        // default limit on the way (grpc-dotnet's 4 MiB, Kestrel's 30 MB request body) and below the adapters' 64 MiB.
        var padding = new byte[30 * 1024 * 1024];
        var request = Requests.Small("the same harbour");
        foreach (var _ in Enumerable.Range(0, 2))
        {
            request.InputImages.Add(new InputImage { Data = ByteString.CopyFrom(TestImages.WithChunk(TestImages.Png(64, 64), "emUl", padding)) });
        }
        Assert.InRange(request.CalculateSize(), 60 * 1024 * 1024, ProviderAdapterExtensions.MaxRequestBytes);

        var (frames, status) = await host.GenerateAsync(request);

        StatusAssert.Ok(status);
        Assert.Single(frames);
        var completed = Assert.Single(host.Emulator.Traffic.Events, e => e.Kind == EmulatorEventKind.RequestCompleted && e.Path == AdapterHost.ChatPath);
        Assert.Equal(200, completed.StatusCode);
    }

    [Fact]
    public async Task Generate_RequestAbove64MiB_ResourceExhaustedWithoutCallingTheProvider()
    {
        await using var host = await AdapterHost.StartAsync();
        var request = Requests.Small();
        request.InputImages.Add(new InputImage { Data = ByteString.CopyFrom(new byte[ProviderAdapterExtensions.MaxRequestBytes]) });

        var (frames, status) = await host.GenerateAsync(request);

        Assert.Empty(frames);
        StatusAssert.Code(StatusCode.ResourceExhausted, status);
        Assert.Equal(0, host.ChatRequestsStarted);
    }

    [Fact]
    public async Task ListModels_ServesEveryEmulatorImageModelWithSizesAndPrices()
    {
        await using var host = await AdapterHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.Emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "any");
        using var catalogue = JsonDocument.Parse(await http.GetStringAsync("/api/v1/models?output_modalities=image").DefaultTimeout());
        var emulatorModels = catalogue.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();

        var response = await host.Client.ListModelsAsync(new ListModelsRequest(), AdapterHost.Deadline()).ResponseAsync.DefaultTimeout();

        Assert.Equal("openrouter", response.Provider);
        Assert.Equal(emulatorModels.Order(), response.Models.Select(m => m.Id).Order());
        var gemini = Assert.Single(response.Models, m => m.Id == Requests.Gemini);
        Assert.Equal([Operation.Chat], gemini.Operations);
        Assert.Contains("1344x768", gemini.Sizes);
        Assert.Equal(["png"], gemini.OutputFormats);
        Assert.Equal(4, gemini.MaxN);
        Assert.True(gemini.SupportsPartialImages);
        Assert.Equal(39_000, Assert.Single(gemini.Prices).UsdMicrosPerImage);
        Assert.Contains(response.Models, m => m.Id == "openai/gpt-5-image");
    }

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] values) =>
        values.ToDictionary(v => v.Key, v => (string?)v.Value.ToString(CultureInfo.InvariantCulture));
}
