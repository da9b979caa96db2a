using System.Text.Json;
using Google.Rpc;
using Grpc.Core;
using Pipeline.ServiceDefaults.Grpc;

namespace Pipeline.Providers.Tests;

public sealed class ProviderStatusMapperTests
{
    [Theory]
    [InlineData(ProviderFailureKind.Unauthenticated, StatusCode.Unauthenticated)]
    [InlineData(ProviderFailureKind.PermissionDenied, StatusCode.PermissionDenied)]
    [InlineData(ProviderFailureKind.RateLimited, StatusCode.ResourceExhausted)]
    [InlineData(ProviderFailureKind.QuotaExceeded, StatusCode.ResourceExhausted)]
    [InlineData(ProviderFailureKind.Unavailable, StatusCode.Unavailable)]
    [InlineData(ProviderFailureKind.Timeout, StatusCode.DeadlineExceeded)]
    [InlineData(ProviderFailureKind.ContentPolicy, StatusCode.FailedPrecondition)]
    [InlineData(ProviderFailureKind.InvalidRequest, StatusCode.InvalidArgument)]
    [InlineData(ProviderFailureKind.MalformedResponse, StatusCode.Internal)]
    [InlineData(ProviderFailureKind.NotFound, StatusCode.NotFound)]
    [InlineData(ProviderFailureKind.AdapterBusy, StatusCode.ResourceExhausted)]
    public void Map_EveryKind_ItsStatusCodeWithTheMessage(ProviderFailureKind kind, StatusCode expected)
    {
        var status = ProviderStatusMapper.Map(new ProviderException(kind, "what happened"));

        Assert.NotNull(status);
        Assert.Equal((expected, "what happened"), (status.GetStatusCode(), status.Message));
    }

    [Fact]
    public void Map_ContentPolicy_ErrorInfoWithProviderCodeDomainStatusRequestIdAndMessage()
    {
        var failure = new ProviderException(ProviderFailureKind.ContentPolicy, "rejected by the safety system", providerCode: "moderation_blocked",
            providerRequestId: "req_5", httpStatus: 400) { Provider = "openai" };

        var status = ProviderStatusMapper.Map(failure)!;

        var info = status.GetDetail<ErrorInfo>()!;
        Assert.Equal(("moderation_blocked", "openai"), (info.Reason, info.Domain));
        Assert.Equal("400", info.Metadata["http_status"]);
        Assert.Equal("req_5", info.Metadata["request_id"]);
        Assert.Equal("rejected by the safety system", info.Metadata["provider_message"]);
        Assert.Null(status.GetDetail<RetryInfo>());
    }

    [Fact]
    public void Map_RateLimited_RetryInfoWithTheProvidersDelay()
    {
        var status = ProviderStatusMapper.Map(new ProviderException(ProviderFailureKind.RateLimited, "slow down", TimeSpan.FromSeconds(12), "rate_limit_exceeded"))!;

        Assert.Equal(TimeSpan.FromSeconds(12), status.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan());
        Assert.Equal("rate_limit_exceeded", status.GetDetail<ErrorInfo>()!.Reason);
    }

    [Fact]
    public void Map_RateLimitedWithoutDelay_RetryInfoWithTheDefault()
    {
        var status = ProviderStatusMapper.Map(new ProviderException(ProviderFailureKind.RateLimited, "slow down"))!;

        Assert.Equal(ProviderStatusMapper.DefaultRetryDelay, status.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan());
    }

    [Fact]
    public void Map_QuotaExceeded_InsufficientQuotaReasonAndNoRetryInfo()
    {
        var status = ProviderStatusMapper.Map(new ProviderException(ProviderFailureKind.QuotaExceeded, "no credits", httpStatus: 402))!;

        Assert.Equal("insufficient_quota", status.GetDetail<ErrorInfo>()!.Reason);
        Assert.Null(status.GetDetail<RetryInfo>());
    }

    [Fact]
    public void Map_AdapterBusy_RetryInfo()
    {
        var status = ProviderStatusMapper.Map(new ProviderException(ProviderFailureKind.AdapterBusy, "full", TimeSpan.FromSeconds(1)))!;

        Assert.Equal(("adapter_busy", TimeSpan.FromSeconds(1)), (status.GetDetail<ErrorInfo>()!.Reason, status.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan()));
    }

    [Fact]
    public void Map_InvalidRequestWithParam_BadRequestNamingTheField()
    {
        var status = ProviderStatusMapper.Map(new ProviderException(ProviderFailureKind.InvalidRequest, "bad size") { Param = "size" })!;

        Assert.Equal("size", Assert.Single(status.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public void Map_HttpRequestException_Unavailable() =>
        Assert.Equal(StatusCode.Unavailable, ProviderStatusMapper.Map(new HttpRequestException("Connection refused (127.0.0.1:1)"))!.GetStatusCode());

    [Fact]
    public void Map_TimeoutException_DeadlineExceeded() =>
        Assert.Equal(StatusCode.DeadlineExceeded, ProviderStatusMapper.Map(new TimeoutException())!.GetStatusCode());

    [Fact]
    public void Map_JsonException_InternalSayingMalformedJson()
    {
        var status = ProviderStatusMapper.Map(new JsonException("'x' is an invalid start of a value."))!;

        Assert.Equal(StatusCode.Internal, status.GetStatusCode());
        Assert.Contains("malformed JSON", status.Message);
    }

    [Fact]
    public void Map_OtherExceptions_LeftToTheDefaultMapping() =>
        Assert.Null(ProviderStatusMapper.Map(new InvalidOperationException("bug")));
}
