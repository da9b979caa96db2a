using Google.Protobuf.WellKnownTypes;
using OpenAI.Adapter.Tests.TestSupport;
using Pipeline.Contracts.Provider.V1;
using Grpc.Core;
using ProviderEmulator.Hosting;
using SkiaSharp;

namespace OpenAI.Adapter.Tests;

/// <summary>Call behaviour through the adapter's gRPC service: retries, cancellation, deadlines and cost.</summary>
public sealed class OpenAIImageProviderTests
{
    private const string Generations = "/v1/images/generations";

    private static readonly Dictionary<string, string?> WithRetries = new()
    {
        ["OpenAI:Retry:MaxRetries"] = "2",
        ["OpenAI:Retry:BaseDelay"] = "00:00:00.050",
    };

    [Fact]
    public async Task Generate_ProviderReturns429_RetriesAfterTheRetryAfterHeader()
    {
        await using var host = await AdapterHost.StartAsync(settings: WithRetries);
        host.Emulator.Faults.RateLimitNextCalls(1);

        var result = (await host.Client.CollectAsync(Calls.Generate())).Succeeded();

        Assert.Single(result.Finals);
        var events = host.Emulator.Traffic.Events.Where(e => e.Path == Generations).ToList();
        var rejected = Assert.Single(events, e => e.Kind == EmulatorEventKind.RequestCompleted && e.StatusCode == 429);
        var retried = events.Where(e => e.Kind == EmulatorEventKind.RequestStarted).ToList();
        Assert.Equal(2, retried.Count);
        // The emulator asked for retry-after: 1 (retry-after-ms: 1000); the base delay is 50 ms.
        Assert.True(retried[1].At - rejected.At >= TimeSpan.FromMilliseconds(900), $"retried after {(retried[1].At - rejected.At).TotalMilliseconds} ms");
    }

    [Theory]
    [InlineData("status=503", "generate")]
    [InlineData("cut-stream", "generate")]
    [InlineData("status=500", "responses")]
    public async Task Generate_RetryableFailureBeforeTheFirstFrame_IsRetried(string faults, string operation)
    {
        await using var host = await AdapterHost.StartAsync(faults, WithRetries);

        var failure = (await host.Client.CollectAsync(Operations.Request(operation))).Failure;

        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        Assert.Equal(3, host.Emulator.Traffic.Events.Count(e => e.Kind == EmulatorEventKind.RequestStarted && e.Path == Operations.Path(operation)));
    }

    [Theory]
    [InlineData("mid-stream-error", "stream")]
    [InlineData("cut-stream", "stream")]
    [InlineData("mid-stream-error;error-shape=nested", "responses")]
    [InlineData("response-failed", "responses")]
    public async Task Generate_RetryableFailureAfterTheFirstFrame_IsNotRetried(string faults, string operation)
    {
        await using var host = await AdapterHost.StartAsync(faults, WithRetries);

        var result = await host.Client.CollectAsync(Operations.Request(operation));

        Assert.Single(result.Partials);
        Assert.NotEqual(StatusCode.OK, result.Failure.StatusCode);
        Assert.Equal(1, host.Emulator.Traffic.Events.Count(e => e.Kind == EmulatorEventKind.RequestStarted && e.Path == Operations.Path(operation)));
    }

    [Fact]
    public async Task Generate_InsufficientQuota_IsNotRetried()
    {
        await using var host = await AdapterHost.StartAsync("insufficient-quota", WithRetries);

        var failure = (await host.Client.CollectAsync(Calls.Generate())).Failure;

        Assert.Equal(StatusCode.ResourceExhausted, failure.StatusCode);
        Assert.Equal(1, host.Emulator.Traffic.Events.Count(e => e.Kind == EmulatorEventKind.RequestStarted));
    }

    [Theory]
    [InlineData("stream")]
    [InlineData("edit-stream")]
    [InlineData("responses")]
    public async Task Generate_CallerCancelsAfterTheFirstPartial_EmulatorSeesTheDisconnect(string operation)
    {
        await using var host = await AdapterHost.StartAsync("partial-delay=2s");
        using var cancel = new CancellationTokenSource();
        using var call = host.Client.Generate(Operations.Request(operation), Calls.Timeout(cancellationToken: cancel.Token));
        await using var reader = call.ResponseStream.ReadAllAsync().GetAsyncEnumerator();
        Assert.True(await reader.MoveNextAsync().DefaultTimeout());
        Assert.NotNull(reader.Current.Partial);

        cancel.Cancel();

        var disconnect = await host.Emulator.Traffic.WaitForDisconnectAsync(Operations.Path(operation)).DefaultTimeout();
        Assert.DoesNotContain(host.Emulator.Traffic.Events, e => e.Kind == EmulatorEventKind.RequestCompleted && e.RequestId == disconnect.RequestId);
        var ended = await Assert.ThrowsAnyAsync<Exception>(async () => await reader.MoveNextAsync()).DefaultTimeout();
        Assert.True(ended is OperationCanceledException || (ended is RpcException rpc && rpc.StatusCode == StatusCode.Cancelled), ended.ToString());
    }

    [Theory]
    [InlineData("generate")]
    [InlineData("edit")]
    [InlineData("responses")]
    public async Task Generate_CallerCancelsBeforeAnyFrame_EmulatorSeesTheDisconnect(string operation)
    {
        await using var host = await AdapterHost.StartAsync("latency=30s");
        using var cancel = new CancellationTokenSource();
        var path = Operations.Path(operation);
        var call = host.Client.CollectAsync(Operations.Request(operation), Calls.Timeout(cancellationToken: cancel.Token));
        await host.Emulator.Traffic.WaitForAsync(e => e.Kind == EmulatorEventKind.RequestStarted && e.Path == path).DefaultTimeout();

        cancel.Cancel();

        await host.Emulator.Traffic.WaitForDisconnectAsync(path).DefaultTimeout();
        Assert.Equal(StatusCode.Cancelled, (await call).Failure.StatusCode);
    }

    [Fact]
    public async Task Generate_CallDeadlinePasses_DeadlineExceededAndTheProviderRequestIsAborted()
    {
        await using var host = await AdapterHost.StartAsync("latency=30s");

        var result = await host.Client.CollectAsync(Calls.Generate(), new CallOptions(deadline: DateTime.UtcNow.AddSeconds(2)));

        Assert.Equal(StatusCode.DeadlineExceeded, result.Failure.StatusCode);
        await host.Emulator.Traffic.WaitForDisconnectAsync(Generations).DefaultTimeout();
    }

    [Fact]
    public async Task Generate_RequestTimeoutPasses_DeadlineExceededAndTheProviderRequestIsAborted()
    {
        await using var host = await AdapterHost.StartAsync("latency=30s");
        var request = Calls.Generate(partials: 1);
        request.Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(1));

        var failure = (await host.Client.CollectAsync(request)).Failure;

        Assert.Equal(StatusCode.DeadlineExceeded, failure.StatusCode);
        Assert.Contains("timeout", failure.Status.Detail);
        await host.Emulator.Traffic.WaitForDisconnectAsync(Generations).DefaultTimeout();
    }

    // Prices from appsettings.json (OpenAI's published prices), USD per million tokens = micros per token.
    [Theory]
    [InlineData("gpt-image-1", "1024x1536", "low", 5.00, 40.00)]
    [InlineData("gpt-image-1.5", "1024x1024", "high", 5.00, 32.00)]
    [InlineData("gpt-image-1-mini", "1536x1024", "medium", 2.00, 8.00)]
    public async Task Generate_GptImageModelReportsUsage_CostFromItsTokenPricesNotThePerImageTable(string model, string size, string quality,
        double textInput, double imageOutput)
    {
        await using var host = await AdapterHost.StartAsync();

        var final = Assert.Single((await host.Client.CollectAsync(Calls.Generate(model, size, quality))).Succeeded().Finals);

        Assert.True(final.Usage.InputTextTokens > 0 && final.Usage.OutputImageTokens > 0, $"usage {final.Usage}");
        Assert.Equal(Micros((final.Usage.InputTextTokens, textInput), (final.Usage.OutputImageTokens, imageOutput)), final.CostUsdMicros);
        Assert.True(final.CostKnown);
    }

    [Theory]
    [InlineData("1792x1024", "hd", 120_000)]
    [InlineData("1024x1792", "standard", 80_000)]
    [InlineData("1024x1024", "", 40_000)]
    public async Task Generate_DallE3ReportsNoUsage_CostFromThePerImageTable(string size, string quality, long usdMicros)
    {
        await using var host = await AdapterHost.StartAsync();

        var final = Assert.Single((await host.Client.CollectAsync(Calls.Generate("dall-e-3", size, quality))).Succeeded().Finals);

        Assert.Null(final.Usage);
        Assert.Equal((usdMicros, true), (final.CostUsdMicros, final.CostKnown));
    }

    [Fact]
    public async Task Generate_AutoQuality_CostFromTokenPrices()
    {
        await using var host = await AdapterHost.StartAsync();

        var final = Assert.Single((await host.Client.CollectAsync(Calls.Generate(quality: "auto"))).Succeeded().Finals);

        // gpt-image-1: USD 5 per million input tokens, USD 40 per million output tokens, so micros = tokens × price.
        Assert.True(final.Usage.OutputTokens > 0);
        Assert.Equal((final.Usage.InputTokens * 5) + (final.Usage.OutputTokens * 40), final.CostUsdMicros);
        Assert.True(final.CostKnown);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task Generate_EditWithInputImages_ImageInputTokensPricedAtTheImageInputPrice(int partials)
    {
        await using var host = await AdapterHost.StartAsync();
        var request = Calls.Edit(partials, TestImages.SolidPng(1024, 1024, new SKColor(200, 0, 0)), TestImages.SolidPng(1024, 1024, new SKColor(0, 0, 200)));

        var final = Assert.Single((await host.Client.CollectAsync(request)).Succeeded().Finals);

        // The emulator counts 323 tokens per input image, in input_tokens_details.image_tokens as the real API does.
        Assert.Equal(646, final.Usage.InputImageTokens);
        // gpt-image-1: text input 5, image input 10, image output 40 (the streamed event reports no output split: all image).
        var output = final.Usage.OutputImageTokens > 0 ? final.Usage.OutputImageTokens : final.Usage.OutputTokens;
        Assert.Equal(Micros((final.Usage.InputTextTokens, 5), (646, 10), (output, 40)), final.CostUsdMicros);
        Assert.True(final.CostKnown);
    }

    [Fact]
    public async Task Generate_EditOnAModelWithoutAnImageInputPrice_CostKnownFalseWithALowerBound()
    {
        await using var host = await AdapterHost.StartAsync();
        var request = Calls.Edit(0, TestImages.SolidPng(1024, 1024, new SKColor(200, 0, 0)));
        request.Model = "gpt-image-2";

        var final = Assert.Single((await host.Client.CollectAsync(request)).Succeeded().Finals);

        // gpt-image-2's table has no image input price: the text and output tokens are priced, the total is not known.
        Assert.Equal(323, final.Usage.InputImageTokens);
        Assert.Equal(Micros((final.Usage.InputTextTokens, 5), (final.Usage.OutputImageTokens, 30)), final.CostUsdMicros);
        Assert.False(final.CostKnown);
    }

    [Fact]
    public async Task Generate_NTwo_EachFinalPricesItsShareOfTheUsage()
    {
        await using var host = await AdapterHost.StartAsync();

        var finals = (await host.Client.CollectAsync(Calls.Generate(n: 2))).Succeeded().Finals;

        Assert.Equal(2, finals.Count);
        Assert.All(finals, f => Assert.Equal(Micros((f.Usage.InputTextTokens, 5), (f.Usage.OutputImageTokens, 40)), f.CostUsdMicros));
    }

    [Fact]
    public async Task Generate_Responses_HostModelTokensPricedAtTheHostModelsPrices()
    {
        await using var host = await AdapterHost.StartAsync();

        var final = Assert.Single((await host.Client.CollectAsync(Calls.Responses(partials: 1))).Succeeded().Finals);

        // tool_usage.image_gen prices at gpt-image-1's prices; usage (the default host model gpt-4.1-mini) at 0.40 / 0.10 / 1.60.
        var usage = final.Usage;
        Assert.Equal("gpt-4.1-mini", usage.HostModel);
        Assert.True(usage.HostInputTokens > 0 && usage.HostOutputTokens > 0, $"usage {usage}");
        Assert.True(usage.OutputImageTokens > 0, $"usage {usage}");
        var image = Micros((usage.InputTextTokens, 5), (usage.InputImageTokens, 10), (usage.OutputImageTokens, 40));
        var hostModel = Micros((usage.HostInputTokens - usage.HostCachedInputTokens, 0.40), (usage.HostCachedInputTokens, 0.10), (usage.HostOutputTokens, 1.60));
        Assert.InRange(final.CostUsdMicros, image + hostModel - 1, image + hostModel + 1);
        Assert.True(final.CostUsdMicros > image);
        Assert.True(final.CostKnown);
    }

    [Fact]
    public async Task Generate_ResponsesWithAnUnpricedHostModel_CostKnownFalse()
    {
        await using var host = await AdapterHost.StartAsync();

        var final = Assert.Single((await host.Client.CollectAsync(Calls.Responses(hostModel: "o4-unpriced"))).Succeeded().Finals);

        Assert.Equal("o4-unpriced", final.Usage.HostModel);
        Assert.False(final.CostKnown);
        Assert.Equal(Micros((final.Usage.InputTextTokens, 5), (final.Usage.InputImageTokens, 10), (final.Usage.OutputImageTokens, 40)), final.CostUsdMicros);
    }

    private static long Micros(params (long Tokens, double UsdPerMillion)[] parts) =>
        (long)decimal.Round(parts.Sum(p => p.Tokens * (decimal)p.UsdPerMillion), MidpointRounding.AwayFromZero);

    [Fact]
    public async Task Generate_ChatOperation_InvalidArgumentWithoutCallingTheProvider()
    {
        await using var host = await AdapterHost.StartAsync();
        var request = Calls.Generate();
        request.Operation = Operation.Chat;

        var failure = (await host.Client.CollectAsync(request)).Failure;

        Assert.Equal(StatusCode.InvalidArgument, failure.StatusCode);
        Assert.Contains("OPERATION_GENERATE, OPERATION_EDIT and OPERATION_RESPONSES", failure.Status.Detail);
        Assert.DoesNotContain(host.Emulator.Traffic.Events, e => e.Kind == EmulatorEventKind.RequestStarted);
    }

    [Theory]
    [InlineData("generate")]
    [InlineData("stream")]
    [InlineData("responses")]
    public async Task Generate_SizeNotWidthByHeight_InvalidArgumentNamingSize(string operation)
    {
        await using var host = await AdapterHost.StartAsync();
        var request = Operations.Request(operation);
        request.Size = "large";

        var failure = (await host.Client.CollectAsync(request)).Failure;

        Assert.Equal(StatusCode.InvalidArgument, failure.StatusCode);
        Assert.Equal("size", Assert.Single(failure.RichDetail<Google.Rpc.BadRequest>()!.FieldViolations).Field);
        Assert.DoesNotContain(host.Emulator.Traffic.Events, e => e.Kind == EmulatorEventKind.RequestStarted);
    }
}
