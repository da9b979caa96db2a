using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers.Tests.TestSupport;
using Pipeline.ServiceDefaults.Grpc;
using static Pipeline.Providers.Tests.TestSupport.Scripted;

namespace Pipeline.Providers.Tests.Internal;

/// <summary>The library's gRPC service around a scripted provider, over Kestrel and our gRPC client.</summary>
public sealed class ProviderAdapterServiceTests
{
    [Fact]
    public async Task Generate_RetryableFailureBeforeTheFirstFrame_RetriedAndOnlyTheSuccessReachesTheCaller()
    {
        var script = new ProviderScript
        {
            Steps = (attempt, _, context, ct) => attempt == 1
                ? Throw(new ProviderException(ProviderFailureKind.Unavailable, "503", httpStatus: 503))
                : Frames(Final(context, 0)),
        };
        await using var host = await ServiceHost.StartAsync(script);

        var (frames, status) = await host.GenerateAsync(Request());

        Assert.Equal(StatusCode.OK, status.GetStatusCode());
        Assert.Single(frames);
        Assert.Equal(2, script.Attempts);
    }

    [Fact]
    public async Task Generate_RetryableFailureAfterTheFirstFrame_NeverRetried()
    {
        var script = new ProviderScript
        {
            Steps = (_, _, context, ct) => Frames([Partial(context, 0)], new ProviderException(ProviderFailureKind.Unavailable, "stream cut")),
        };
        await using var host = await ServiceHost.StartAsync(script);

        var (frames, status) = await host.GenerateAsync(Request());

        Assert.Equal(ProviderFrame.FrameOneofCase.Partial, Assert.Single(frames).FrameCase);
        Assert.Equal(StatusCode.Unavailable, status.GetStatusCode());
        Assert.Equal(1, script.Attempts);
    }

    [Fact]
    public async Task Generate_ContentPolicy_NeverRetried()
    {
        var script = new ProviderScript { Steps = (_, _, _, _) => Throw(new ProviderException(ProviderFailureKind.ContentPolicy, "blocked", providerCode: "moderation_blocked")) };
        await using var host = await ServiceHost.StartAsync(script);

        var (_, status) = await host.GenerateAsync(Request());

        Assert.Equal(StatusCode.FailedPrecondition, status.GetStatusCode());
        Assert.Equal(("moderation_blocked", "testprovider"), (status.GetDetail<ErrorInfo>()!.Reason, status.GetDetail<ErrorInfo>()!.Domain));
        Assert.Equal(1, script.Attempts);
    }

    [Theory]
    [InlineData("http", StatusCode.Unavailable)]
    [InlineData("io", StatusCode.Unavailable)]
    [InlineData("json", StatusCode.Internal)]
    public async Task Generate_ProviderThrowsARawException_MappedThroughTheOneMapping(string kind, StatusCode expected)
    {
        Exception failure = kind switch
        {
            "http" => new HttpRequestException("Connection refused"),
            "io" => new IOException("The response ended prematurely."),
            _ => new JsonException("'<' is an invalid start of a value."),
        };
        var script = new ProviderScript { Steps = (_, _, _, _) => Throw(failure) };
        await using var host = await ServiceHost.StartAsync(script, new Dictionary<string, string?> { ["Test:Retry:MaxRetries"] = "0" });

        var (_, status) = await host.GenerateAsync(Request());

        Assert.Equal(expected, status.GetStatusCode());
    }

    [Fact]
    public async Task Generate_ProviderLeavesCostAndModelEmpty_CostFromThePriceTableAndTheRequestModel()
    {
        var script = new ProviderScript { Steps = (_, _, context, _) => Frames(Final(context, 0, size: 1024)) };
        await using var host = await ServiceHost.StartAsync(script);
        var request = Request();
        request.Quality = "high";

        var (frames, _) = await host.GenerateAsync(request);

        var final = Assert.Single(frames).Final;
        Assert.Equal((167_000L, true, "gpt-image-1"), (final.CostUsdMicros, final.CostKnown, final.Model));
    }

    [Fact]
    public async Task Generate_ProviderReportsItsCost_KeptAsKnown()
    {
        var script = new ProviderScript
        {
            Steps = (_, _, context, _) =>
            {
                var frame = Final(context, 0, size: 1024);
                frame.Final.CostUsdMicros = 12;
                frame.Final.CostKnown = true;
                frame.Final.Model = "gpt-image-1-2025";
                return Frames(frame);
            },
        };
        await using var host = await ServiceHost.StartAsync(script);

        var (frames, _) = await host.GenerateAsync(Request());

        Assert.Equal((12L, true, "gpt-image-1-2025"), (frames[0].Final.CostUsdMicros, frames[0].Final.CostKnown, frames[0].Final.Model));
    }

    [Fact]
    public async Task Generate_ModelWithoutPrices_CostUnknownNotASilentZero()
    {
        var script = new ProviderScript { Steps = (_, _, context, _) => Frames(Final(context, 0, size: 1024)) };
        await using var host = await ServiceHost.StartAsync(script);
        var request = Request();
        request.Model = "gpt-image-unlisted";

        var (frames, status) = await host.GenerateAsync(request);

        Assert.Equal(StatusCode.OK, status.GetStatusCode());
        var final = Assert.Single(frames).Final;
        Assert.Equal((0L, false), (final.CostUsdMicros, final.CostKnown));
    }

    [Fact]
    public async Task Generate_ProviderYieldsNoFinal_InternalSayingNoImage()
    {
        var script = new ProviderScript { Steps = (_, _, _, _) => Frames() };
        await using var host = await ServiceHost.StartAsync(script);

        var (_, status) = await host.GenerateAsync(Request());

        Assert.Equal(StatusCode.Internal, status.GetStatusCode());
        Assert.Contains("held no image", status.Message);
    }

    [Theory]
    [InlineData("truncated png", "data[0].b64_json is not a complete image: PNG ends inside chunk IDAT, without IEND")]
    [InlineData("jpeg without eoi", "data[0].b64_json is not a complete image: JPEG has no EOI marker")]
    [InlineData("60000x60000 png", "data[0].b64_json is refused: PNG declares 60000x60000 pixels (3600 MP); the limit is 100 MP and 16384 per side")]
    public async Task Generate_ProviderReturnsAnIncompleteOrOversizedImage_InternalNamingTheFieldAndNoFinalFrame(string damage, string message)
    {
        var bytes = damage switch
        {
            "truncated png" => TestImages.TruncatedPng(),
            "jpeg without eoi" => TestImages.JpegWithoutEoi(),
            _ => TestImages.PngDeclaring(60_000, 60_000),
        };
        var script = new ProviderScript
        {
            Steps = (_, _, context, _) => Frames(new ProviderFrame { Final = context.Images.ToFinalImage(context.Images.FromBytes(bytes, "data[0].b64_json"), 0) }),
        };
        await using var host = await ServiceHost.StartAsync(script);

        var (frames, status) = await host.GenerateAsync(Request());

        Assert.Empty(frames);
        Assert.Equal(StatusCode.Internal, status.GetStatusCode());
        Assert.Contains(message, status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_ProviderMessageEchoesTheKey_KeyRedactedFromTheStatus()
    {
        const string callerKey = "sk-caller-abcdefghijklmnop";
        var script = new ProviderScript
        {
            Steps = (_, _, context, _) => Throw(new ProviderException(ProviderFailureKind.Unauthenticated, $"Incorrect API key provided: {context.ApiKey}.")),
        };
        await using var host = await ServiceHost.StartAsync(script);

        var (_, status) = await host.GenerateAsync(Request(), ServiceHost.Timeout(new Metadata { { ProviderAdapter.ProviderKeyHeader, callerKey } }));

        Assert.Equal(StatusCode.Unauthenticated, status.GetStatusCode());
        Assert.Equal(callerKey, script.LastContext!.ApiKey);
        Assert.Contains("Incorrect API key provided: ***.", status.Message);
        Assert.DoesNotContain(callerKey, status.Message);
        Assert.DoesNotContain(callerKey, status.GetDetail<ErrorInfo>()!.Metadata["provider_message"]);
    }

    [Fact]
    public async Task Generate_NoKeyAnywhere_UnauthenticatedNamingWhatToSet()
    {
        var script = new ProviderScript();
        await using var host = await ServiceHost.StartAsync(script, new Dictionary<string, string?> { ["Test:ApiKey"] = null });

        var (_, status) = await host.GenerateAsync(Request());

        Assert.Equal(StatusCode.Unauthenticated, status.GetStatusCode());
        Assert.Contains("TESTPROVIDER_API_KEY", status.Message);
        Assert.Contains("'Test:ApiKeyFile'", status.Message);
        Assert.Equal(0, script.Attempts);
    }

    [Fact]
    public async Task Generate_RequestTimeoutPasses_DeadlineExceededAndTheProviderCallCancelled()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = new ProviderScript { Steps = (_, _, _, ct) => Hang(ct, cancelled) };
        await using var host = await ServiceHost.StartAsync(script);
        var request = Request();
        request.Timeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(300));

        var (_, status) = await host.GenerateAsync(request);

        Assert.Equal(StatusCode.DeadlineExceeded, status.GetStatusCode());
        Assert.Contains("request timeout of 0.3 s", status.Message);
        await cancelled.Task.DefaultTimeout();
        Assert.Equal(1, script.Attempts);
    }

    [Fact]
    public async Task Generate_CallerCancels_TheProviderCallIsCancelled()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = new ProviderScript { Steps = (_, _, _, ct) => Hang(ct, cancelled) };
        await using var host = await ServiceHost.StartAsync(script);
        using var cancel = new CancellationTokenSource();
        var run = host.GenerateAsync(Request(), ServiceHost.Timeout(cancellationToken: cancel.Token));
        await TestTimeouts.WaitUntilAsync(() => script.Attempts > 0);

        await cancel.CancelAsync();

        Assert.Equal(StatusCode.Cancelled, (await run.DefaultTimeout()).Status.GetStatusCode());
        await cancelled.Task.DefaultTimeout();
    }

    [Fact]
    public async Task Generate_ConcurrencyCapAndQueueFull_ResourceExhaustedWithRetryInfoAndTheProviderNotCalled()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = new ProviderScript { Steps = (_, _, _, ct) => Hang(ct, cancelled) };
        await using var host = await ServiceHost.StartAsync(script, new Dictionary<string, string?> { ["Test:MaxConcurrentCalls"] = "1", ["Test:QueueLimit"] = "0" });
        using var cancel = new CancellationTokenSource();
        var holding = host.GenerateAsync(Request(), ServiceHost.Timeout(cancellationToken: cancel.Token));
        await TestTimeouts.WaitUntilAsync(() => script.Attempts > 0);

        var (_, status) = await host.GenerateAsync(Request());

        Assert.Equal(StatusCode.ResourceExhausted, status.GetStatusCode());
        Assert.NotNull(status.GetDetail<RetryInfo>());
        Assert.Equal(1, script.Attempts);
        await cancel.CancelAsync();
        await holding.DefaultTimeout();
    }

    [Fact]
    public async Task Generate_InvalidRequest_InvalidArgumentListingEveryViolation()
    {
        var script = new ProviderScript();
        await using var host = await ServiceHost.StartAsync(script);
        var request = new ProviderRequest { Operation = Operation.Edit, Model = "gpt-image-1", Prompt = "x", N = -1 };
        request.Mask = new InputImage { Url = "https://example.com/mask.png" };

        var (_, status) = await host.GenerateAsync(request);

        Assert.Equal(StatusCode.InvalidArgument, status.GetStatusCode());
        Assert.Equal(["n", "input_images", "mask"], status.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
        Assert.Equal(0, script.Attempts);
    }

    [Fact]
    public async Task Generate_MoreImagesThanTheModelMakes_InvalidArgument()
    {
        var script = new ProviderScript();
        await using var host = await ServiceHost.StartAsync(script);
        var request = Request();
        request.N = 5;

        var (_, status) = await host.GenerateAsync(request);

        Assert.Equal(StatusCode.InvalidArgument, status.GetStatusCode());
        Assert.Contains("at most 4", status.Message);
    }

    [Fact]
    public async Task Generate_Success_GenAiSpanWithUsageAndImageEventsButNoPayload()
    {
        var runId = Guid.NewGuid().ToString("N");
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Pipeline.Providers",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var script = new ProviderScript
        {
            Steps = (_, _, context, _) =>
            {
                var frame = Final(context, 0, size: 1024);
                frame.Final.Model = "gpt-image-1-2025";
                frame.Final.ProviderRequestId = "req_77";
                frame.Final.Usage = new Usage { InputTokens = 22, OutputTokens = 4160 };
                return Frames(frame);
            },
        };
        await using var host = await ServiceHost.StartAsync(script);
        var request = Request();
        request.RunId = runId;

        await host.GenerateAsync(request);

        var span = Assert.Single(spans, s => (string?)s.GetTagItem("pipeline.run_id") == runId);
        Assert.Equal("image_generation gpt-image-1", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("testprovider", span.GetTagItem("gen_ai.system"));
        Assert.Equal("image_generation", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("gpt-image-1", span.GetTagItem("gen_ai.request.model"));
        Assert.Equal("gpt-image-1-2025", span.GetTagItem("gen_ai.response.model"));
        Assert.Equal("req_77", span.GetTagItem("gen_ai.response.id"));
        Assert.Equal((22L, 4160L), ((long)span.GetTagItem("gen_ai.usage.input_tokens")!, (long)span.GetTagItem("gen_ai.usage.output_tokens")!));
        Assert.Equal(1, span.GetTagItem("pipeline.image.count"));
        var image = Assert.Single(span.Events);
        Assert.Contains(image.Tags, t => t.Key == "pipeline.image.sha256" && t.Value is string { Length: 64 });
        Assert.Contains(image.Tags, t => t.Key == "pipeline.image.width" && (int)t.Value! == 1024);
        Assert.DoesNotContain(span.TagObjects.Concat(image.Tags), t => t.Value is string { Length: > 100 } or byte[] or ByteString);
    }

    [Fact]
    public async Task Generate_ChunkNamingItsProvider_SpanAndErrorsNameTheChunksProviderNotTheAdapters()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Pipeline.Providers",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var script = new ProviderScript { Steps = (_, _, _, _) => throw new ProviderException(ProviderFailureKind.PermissionDenied, "forbidden") };
        await using var host = await ServiceHost.StartAsync(script);
        var request = Request();
        request.RunId = Guid.NewGuid().ToString("N");
        request.Operation = Operation.Http;
        request.Chunk = new ChunkCall { Name = "output_image_stability-core", Provider = "stability", ApiConfig = new Google.Protobuf.WellKnownTypes.Struct() };

        var (_, status) = await host.GenerateAsync(request);

        Assert.Equal(StatusCode.PermissionDenied, status.GetStatusCode());
        Assert.Equal("stability", status.GetDetail<Google.Rpc.ErrorInfo>()?.Domain);
        var span = Assert.Single(spans, s => (string?)s.GetTagItem("pipeline.run_id") == request.RunId);
        Assert.Equal("stability", span.GetTagItem("gen_ai.system"));
    }

    [Fact]
    public async Task Generate_HttpOperationWithoutItsChunk_InvalidArgumentNamingTheField()
    {
        await using var host = await ServiceHost.StartAsync(new ProviderScript());
        var request = Request();
        request.Operation = Operation.Http;

        var (_, status) = await host.GenerateAsync(request);

        Assert.Equal(StatusCode.InvalidArgument, status.GetStatusCode());
        Assert.Contains("chunk.api_config", status.Message);
    }

    [Fact]
    public async Task ListModels_FromOptions_WithPricesInMicros()
    {
        await using var host = await ServiceHost.StartAsync(new ProviderScript());

        var response = await host.Client.ListModelsAsync(new ListModelsRequest(), ServiceHost.Timeout()).ResponseAsync.DefaultTimeout();

        Assert.Equal("testprovider", response.Provider);
        var model = Assert.Single(response.Models);
        Assert.Equal(("gpt-image-1", "GPT Image 1", 4, true), (model.Id, model.DisplayName, model.MaxN, model.SupportsPartialImages));
        Assert.Equal([Operation.Generate, Operation.Edit], model.Operations);
        Assert.Equal(new Price { Size = "1024x1024", Quality = "high", UsdMicrosPerImage = 167_000 }, Assert.Single(model.Prices));
    }

    [Fact]
    public async Task AddProviderAdapter_ProviderHttpClient_BaseUrlWithTrailingSlashHeadersAndNoTimeout()
    {
        var script = new ProviderScript { Steps = (_, _, context, _) => Frames(Final(context, 0)) };
        await using var host = await ServiceHost.StartAsync(script, new Dictionary<string, string?>
        {
            ["Test:BaseUrl"] = "http://127.0.0.1:9/api/v1",
            ["Test:Headers:X-Title"] = "Pipeline",
        });

        await host.GenerateAsync(Request());

        var http = script.LastHttpClient!;
        Assert.Equal(new Uri("http://127.0.0.1:9/api/v1/"), http.BaseAddress);
        Assert.Equal(Timeout.InfiniteTimeSpan, http.Timeout);
        Assert.Equal(["Pipeline"], http.DefaultRequestHeaders.GetValues("X-Title"));
        Assert.Equal(ServiceHost.Key, script.LastContext!.ApiKey);
    }
}
