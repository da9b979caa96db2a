using Google.Rpc;
using OpenAI.Adapter.Tests.TestSupport;
using Grpc.Core;
using Pipeline.Imaging;

namespace OpenAI.Adapter.Tests.Sdk;

/// <summary>Every emulator fault mode, through the adapter's gRPC service, ends in the expected status and details.</summary>
public sealed class OpenAIFailuresTests
{
    [Theory]
    [InlineData("generate")]
    [InlineData("stream")]
    [InlineData("edit")]
    [InlineData("responses")]
    public async Task RateLimit_ResourceExhaustedWithRetryInfoFromRetryAfter(string operation)
    {
        await using var host = await AdapterHost.StartAsync("rate-limit=7");

        var failure = (await host.Client.CollectAsync(Operations.Request(operation))).Failure;

        Assert.Equal(StatusCode.ResourceExhausted, failure.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), failure.RichDetail<RetryInfo>()!.RetryDelay.ToTimeSpan());
        var info = failure.RichDetail<ErrorInfo>()!;
        Assert.Equal("rate_limit_exceeded", info.Reason);
        Assert.Equal("openai", info.Domain);
        Assert.Equal("429", info.Metadata["http_status"]);
        Assert.StartsWith("req_", info.Metadata["request_id"]);
    }

    [Theory]
    [InlineData("generate")]
    [InlineData("responses")]
    public async Task InsufficientQuota_ResourceExhaustedWithoutRetryInfo(string operation)
    {
        await using var host = await AdapterHost.StartAsync("insufficient-quota");

        var failure = (await host.Client.CollectAsync(Operations.Request(operation))).Failure;

        Assert.Equal(StatusCode.ResourceExhausted, failure.StatusCode);
        Assert.Equal("insufficient_quota", failure.RichDetail<ErrorInfo>()!.Reason);
        Assert.Null(failure.RichDetail<RetryInfo>());
    }

    [Theory]
    [InlineData(401, StatusCode.Unauthenticated, "generate")]
    [InlineData(401, StatusCode.Unauthenticated, "responses")]
    [InlineData(403, StatusCode.PermissionDenied, "generate")]
    [InlineData(403, StatusCode.PermissionDenied, "edit-stream")]
    [InlineData(404, StatusCode.NotFound, "generate")]
    [InlineData(404, StatusCode.NotFound, "responses")]
    [InlineData(500, StatusCode.Unavailable, "generate")]
    [InlineData(500, StatusCode.Unavailable, "stream")]
    [InlineData(503, StatusCode.Unavailable, "edit")]
    [InlineData(503, StatusCode.Unavailable, "responses")]
    public async Task HttpStatus_MapsToItsStatusCode(int status, StatusCode expected, string operation)
    {
        await using var host = await AdapterHost.StartAsync($"status={status}");

        var failure = (await host.Client.CollectAsync(Operations.Request(operation))).Failure;

        Assert.Equal(expected, failure.StatusCode);
        var info = failure.RichDetail<ErrorInfo>()!;
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), info.Metadata["http_status"]);
        Assert.StartsWith("req_", info.Metadata["request_id"]);
    }

    [Theory]
    [InlineData("generate", "moderation_blocked")]
    [InlineData("stream", "moderation_blocked")]
    [InlineData("edit", "moderation_blocked")]
    [InlineData("dall-e-3", "content_policy_violation")]
    [InlineData("responses", "moderation_blocked")]
    public async Task ContentPolicy_FailedPreconditionWithTheProvidersReason(string operation, string reason)
    {
        await using var host = await AdapterHost.StartAsync("content-policy");

        var failure = (await host.Client.CollectAsync(Operations.Request(operation))).Failure;

        Assert.Equal(StatusCode.FailedPrecondition, failure.StatusCode);
        var info = failure.RichDetail<ErrorInfo>()!;
        Assert.Equal(reason, info.Reason);
        Assert.Equal("openai", info.Domain);
        Assert.Contains("safety system", info.Metadata["provider_message"]);
        Assert.Null(failure.RichDetail<RetryInfo>());
    }

    [Theory]
    [InlineData("stream")]
    [InlineData("edit-stream")]
    public async Task ImagesMidStreamError_UnavailableAfterTheFirstPartial(string operation)
    {
        await using var host = await AdapterHost.StartAsync("mid-stream-error");

        var result = await host.Client.CollectAsync(Operations.Request(operation));

        Assert.Single(result.Partials);
        Assert.Empty(result.Finals);
        Assert.Equal(StatusCode.Unavailable, result.Failure.StatusCode);
        Assert.Equal("server_error", result.Failure.RichDetail<ErrorInfo>()!.Reason);
    }

    [Theory]
    [InlineData("mid-stream-error", StatusCode.Unavailable, "server_error")]
    [InlineData("mid-stream-error;error-shape=flat", StatusCode.Unavailable, "server_error")]
    [InlineData("mid-stream-error;error-shape=nested", StatusCode.ResourceExhausted, "too_many_requests")]
    [InlineData("response-failed", StatusCode.Unavailable, "server_error")]
    public async Task ResponsesStreamError_EitherShape_MapsTheProvidersCode(string faults, StatusCode expected, string reason)
    {
        await using var host = await AdapterHost.StartAsync(faults);

        var result = await host.Client.CollectAsync(Calls.Responses(partials: 2));

        Assert.Single(result.Partials);
        Assert.Empty(result.Finals);
        Assert.Equal(expected, result.Failure.StatusCode);
        Assert.Equal(reason, result.Failure.RichDetail<ErrorInfo>()!.Reason);
    }

    [Theory]
    [InlineData("generate")]
    [InlineData("stream")]
    [InlineData("edit-stream")]
    [InlineData("responses")]
    public async Task CutStream_UnavailableAndTheEmulatorCutTheConnection(string operation)
    {
        await using var host = await AdapterHost.StartAsync("cut-stream");

        var failure = (await host.Client.CollectAsync(Operations.Request(operation))).Failure;

        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        Assert.Contains(host.Emulator.Traffic.Events, e => e.Kind == ProviderEmulator.Hosting.EmulatorEventKind.ConnectionCut);
    }

    [Theory]
    [InlineData("generate", "JSON")]
    [InlineData("stream", "'image_generation.completed' event is not valid JSON")]
    [InlineData("edit-stream", "'image_edit.completed' event is not valid JSON")]
    [InlineData("responses", "JSON")]
    public async Task MalformedJson_InternalNamingWhatWasMalformed(string operation, string named)
    {
        await using var host = await AdapterHost.StartAsync("malformed-json");

        var failure = (await host.Client.CollectAsync(Operations.Request(operation))).Failure;

        Assert.Equal(StatusCode.Internal, failure.StatusCode);
        Assert.Contains(named, failure.Status.Detail);
    }

    [Theory]
    [InlineData("generate")]
    [InlineData("stream")]
    [InlineData("responses")]
    public async Task OversizedImage_StillValid_ArrivesWhole(string operation)
    {
        await using var host = await AdapterHost.StartAsync("oversized-image=12MB");

        var result = (await host.Client.CollectAsync(Operations.Request(operation))).Succeeded();

        var final = Assert.Single(result.Finals);
        Assert.True(final.Data.Length >= 12 * 1024 * 1024, $"{final.Data.Length} bytes");
        TestImages.AssertImage(final.Data.Span, ImageFormat.Png, 1024, 1024);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(final.Data.Span)), final.Sha256);
    }

    [Fact]
    public async Task WrongKey_UnauthenticatedWithoutTheKeyInTheMessage()
    {
        await using var host = await AdapterHost.StartAsync(emulatorKeys: ["sk-the-only-accepted-key"]);

        var failure = (await host.Client.CollectAsync(Calls.Generate())).Failure;

        Assert.Equal(StatusCode.Unauthenticated, failure.StatusCode);
        Assert.Equal("invalid_api_key", failure.RichDetail<ErrorInfo>()!.Reason);
        Assert.DoesNotContain(AdapterHost.ConfiguredKey, RpcFailures.Describe(failure));
    }

    [Fact]
    public async Task ProviderRejectsAParameter_InvalidArgumentNamingIt()
    {
        await using var host = await AdapterHost.StartAsync();

        var failure = (await host.Client.CollectAsync(Calls.Generate(quality: "ultra"))).Failure;

        Assert.Equal(StatusCode.InvalidArgument, failure.StatusCode);
        Assert.Equal("quality", Assert.Single(failure.RichDetail<BadRequest>()!.FieldViolations).Field);
    }
}
