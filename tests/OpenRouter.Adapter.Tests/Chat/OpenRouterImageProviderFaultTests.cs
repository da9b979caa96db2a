using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using OpenRouter.Adapter.Tests.TestSupport;
using Grpc.Core;
using Pipeline.Imaging;
using ProviderEmulator.Hosting;
using RpcStatus = Google.Rpc.Status;

namespace OpenRouter.Adapter.Tests.Chat;

/// <summary>Every emulator fault on the OpenRouter route maps to its status and details (docs/emulator.md, Fault injection).</summary>
public sealed class OpenRouterImageProviderFaultTests
{
    [Fact]
    public async Task Generate_RateLimited_ResourceExhaustedWithTheProvidersRetryDelay()
    {
        await using var host = await AdapterHost.StartAsync(fault: "rate-limit=3");

        var (frames, status) = await host.GenerateAsync(Requests.Small());

        Assert.Empty(frames);
        StatusAssert.Code(StatusCode.ResourceExhausted, status);
        Assert.Equal(Duration.FromTimeSpan(TimeSpan.FromSeconds(3)), status.GetDetail<RetryInfo>()!.RetryDelay);
        var info = ErrorInfoOf(status);
        Assert.Equal("rate_limit_exceeded", info.Reason);
        Assert.Equal("429", info.Metadata["http_status"]);
        Assert.StartsWith("gen-", info.Metadata["request_id"]);
    }

    [Fact]
    public async Task Generate_InsufficientCredits_ResourceExhaustedWithoutRetryAndNotRetried()
    {
        await using var host = await AdapterHost.StartAsync(fault: "insufficient-quota", settings: Retries(2));

        var (_, status) = await host.GenerateAsync(Requests.Small());

        StatusAssert.Code(StatusCode.ResourceExhausted, status);
        Assert.Null(status.GetDetail<RetryInfo>());
        var info = ErrorInfoOf(status);
        Assert.Equal("insufficient_quota", info.Reason);
        Assert.Equal("402", info.Metadata["http_status"]);
        Assert.Equal(1, host.ChatRequestsStarted);
    }

    [Theory]
    [InlineData(400, StatusCode.InvalidArgument)]
    [InlineData(401, StatusCode.Unauthenticated)]
    [InlineData(403, StatusCode.PermissionDenied)]
    [InlineData(404, StatusCode.NotFound)]
    [InlineData(408, StatusCode.DeadlineExceeded)]
    [InlineData(500, StatusCode.Unavailable)]
    [InlineData(502, StatusCode.Unavailable)]
    [InlineData(503, StatusCode.Unavailable)]
    [InlineData(504, StatusCode.DeadlineExceeded)]
    [InlineData(524, StatusCode.DeadlineExceeded)]
    [InlineData(529, StatusCode.Unavailable)]
    public async Task Generate_ProviderAnswersStatus_MapsToItsCode(int httpStatus, StatusCode expected)
    {
        await using var host = await AdapterHost.StartAsync(fault: $"status={httpStatus}");

        var (frames, status) = await host.GenerateAsync(Requests.Small());

        Assert.Empty(frames);
        StatusAssert.Code(expected, status);
        var info = ErrorInfoOf(status);
        Assert.Equal(httpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture), info.Metadata["http_status"]);
        Assert.Equal("openrouter", info.Domain);
        Assert.Contains($"HTTP {httpStatus}", status.Message);
    }

    [Fact]
    public async Task Generate_ContentPolicy_FailedPreconditionWithTheProvidersReasonAndNeverRetried()
    {
        await using var host = await AdapterHost.StartAsync(fault: "content-policy", settings: Retries(2));

        var (frames, status) = await host.GenerateAsync(Requests.Small("a violent storm"));

        Assert.Empty(frames);
        StatusAssert.Code(StatusCode.FailedPrecondition, status);
        Assert.Contains("violence", status.Message);
        var info = ErrorInfoOf(status);
        Assert.Equal("content_policy", info.Reason);
        Assert.Equal("403", info.Metadata["http_status"]);
        Assert.Contains("flagged", info.Metadata["provider_message"]);
        Assert.Equal(1, host.ChatRequestsStarted);
    }

    [Theory]
    [InlineData("mid-stream-error")]
    [InlineData("mid-stream-error;error-shape=nested")]
    public async Task Generate_MidStreamErrorChunk_UnavailableWithTheProvidersCode(string fault)
    {
        // error-shape only changes OpenAI Responses events; on the OpenRouter route the error chunk is the same.
        await using var host = await AdapterHost.StartAsync(fault: fault);

        var (frames, status) = await host.GenerateAsync(Requests.Small(partialImages: 1));

        Assert.Empty(frames);
        StatusAssert.Code(StatusCode.Unavailable, status);
        Assert.Contains("Provider disconnected", status.Message);
        var info = ErrorInfoOf(status);
        Assert.Equal("provider_unavailable", info.Reason);
        Assert.Equal("502", info.Metadata["http_status"]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Generate_ConnectionCut_Unavailable(int partialImages)
    {
        await using var host = await AdapterHost.StartAsync(fault: "cut-stream");

        var (frames, status) = await host.GenerateAsync(Requests.Small(partialImages: partialImages));

        Assert.Empty(frames);
        StatusAssert.Code(StatusCode.Unavailable, status);
        await host.Emulator.Traffic.WaitForAsync(e => e.Kind == EmulatorEventKind.ConnectionCut).DefaultTimeout();
    }

    [Fact]
    public async Task Generate_StreamedChunkIsMalformedJson_InternalNamingTheChunk()
    {
        await using var host = await AdapterHost.StartAsync(fault: "malformed-json");

        var (frames, status) = await host.GenerateAsync(Requests.Small(partialImages: 1));

        Assert.Empty(frames);
        StatusAssert.Code(StatusCode.Internal, status);
        Assert.Contains("stream chunk 1 is not valid JSON", status.Message);
    }

    [Fact]
    public async Task Generate_ReplyIsMalformedJson_InternalNamingTheReply()
    {
        await using var host = await AdapterHost.StartAsync(fault: "malformed-json");

        var (frames, status) = await host.GenerateAsync(Requests.Small());

        Assert.Empty(frames);
        StatusAssert.Code(StatusCode.Internal, status);
        Assert.Contains("chat completion is not valid JSON", status.Message);
    }

    [Fact]
    public async Task Generate_OversizedImageWithinTheCap_DeliveredWholeAndValid()
    {
        await using var host = await AdapterHost.StartAsync(fault: "oversized-image=3MB");

        var (frames, status) = await host.GenerateAsync(Requests.Small());

        StatusAssert.Ok(status);
        var final = Assert.Single(frames).Final;
        Assert.True(final.Data.Length >= 3 * 1024 * 1024, $"{final.Data.Length} bytes");
        var info = ImageInspector.Inspect(final.Data.Span);
        Assert.Equal((ImageFormat.Png, 512, 512), (info.Format, info.Width, info.Height));
    }

    [Fact]
    public async Task Generate_OversizedImageAboveTheCap_InternalNamingTheFieldAndTheCap()
    {
        await using var host = await AdapterHost.StartAsync(fault: "oversized-image=3MB",
            settings: new Dictionary<string, string?> { ["OpenRouter:Download:MaxBytes"] = "2097152" });

        var (frames, status) = await host.GenerateAsync(Requests.Small());

        Assert.Empty(frames);
        StatusAssert.Code(StatusCode.Internal, status);
        Assert.Contains("choices[0].message.images[0].image_url.url", status.Message);
        Assert.Contains("2097152", status.Message);
    }

    [Fact]
    public async Task Generate_LatencyBeyondTheCallDeadline_DeadlineExceededAndTheEmulatorSeesTheDisconnect()
    {
        await using var host = await AdapterHost.StartAsync(fault: "latency=60s");

        var (frames, status) = await host.GenerateAsync(Requests.Small(), AdapterHost.Deadline(TimeSpan.FromSeconds(2)));

        Assert.Empty(frames);
        StatusAssert.Code(StatusCode.DeadlineExceeded, status);
        await host.Emulator.Traffic.WaitForDisconnectAsync(AdapterHost.ChatPath).DefaultTimeout();
    }

    [Fact]
    public async Task Generate_LatencyBeyondTheRequestTimeout_DeadlineExceededAndTheEmulatorSeesTheDisconnect()
    {
        await using var host = await AdapterHost.StartAsync(fault: "latency=60s");
        var request = Requests.Small();
        request.Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(1));

        var (frames, status) = await host.GenerateAsync(request);

        Assert.Empty(frames);
        StatusAssert.Code(StatusCode.DeadlineExceeded, status);
        Assert.Contains("request timeout of 1 s", status.Message);
        await host.Emulator.Traffic.WaitForDisconnectAsync(AdapterHost.ChatPath).DefaultTimeout();
    }

    private static ErrorInfo ErrorInfoOf(RpcStatus status) =>
        status.GetDetail<ErrorInfo>() ?? throw new Xunit.Sdk.XunitException($"no ErrorInfo in {StatusAssert.Describe(status)}");

    private static Dictionary<string, string?> Retries(int count) => new() { ["OpenRouter:Retry:MaxRetries"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
