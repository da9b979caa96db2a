using Google.Protobuf.WellKnownTypes;
using OpenAI.Adapter.Tests.TestSupport;
using Pipeline.Contracts.Provider.V1;
using Grpc.Core;
using ProviderEmulator.Hosting;

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

    [Theory]
    [InlineData("gpt-image-1", "1024x1536", "low", 16_000)]
    [InlineData("gpt-image-1.5", "1024x1024", "high", 133_000)]
    [InlineData("gpt-image-1-mini", "1536x1024", "medium", 15_000)]
    [InlineData("dall-e-3", "1792x1024", "hd", 120_000)]
    [InlineData("dall-e-3", "1024x1024", "", 40_000)]
    public async Task Generate_FinalFrame_CarriesTheCostFromThePriceTable(string model, string size, string quality, long usdMicros)
    {
        await using var host = await AdapterHost.StartAsync();

        var result = (await host.Client.CollectAsync(Calls.Generate(model, size, quality))).Succeeded();

        Assert.Equal(usdMicros, Assert.Single(result.Finals).CostUsdMicros);
    }

    [Fact]
    public async Task Generate_AutoQuality_CostFromTokenPrices()
    {
        await using var host = await AdapterHost.StartAsync();

        var final = Assert.Single((await host.Client.CollectAsync(Calls.Generate(quality: "auto"))).Succeeded().Finals);

        // gpt-image-1: USD 5 per million input tokens, USD 40 per million output tokens, so micros = tokens × price.
        Assert.True(final.Usage.OutputTokens > 0);
        Assert.Equal((final.Usage.InputTokens * 5) + (final.Usage.OutputTokens * 40), final.CostUsdMicros);
    }

    [Fact]
    public async Task Generate_NTwoAndResponses_EachFinalCostsOneImage()
    {
        await using var host = await AdapterHost.StartAsync();

        var two = (await host.Client.CollectAsync(Calls.Generate(n: 2))).Succeeded();
        var responses = (await host.Client.CollectAsync(Calls.Responses(partials: 1))).Succeeded();

        Assert.All(two.Finals, f => Assert.Equal(11_000, f.CostUsdMicros));
        Assert.Equal(11_000, Assert.Single(responses.Finals).CostUsdMicros);
    }

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
