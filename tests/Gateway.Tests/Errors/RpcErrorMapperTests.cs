using Gateway.Errors;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Pipeline.ServiceDefaults.Grpc;

namespace Gateway.Tests.Errors;

public sealed class RpcErrorMapperTests
{
    [Theory]
    [InlineData(StatusCode.InvalidArgument, 400, "invalid_request_error", "invalid_value")]
    [InlineData(StatusCode.NotFound, 404, "invalid_request_error", "model_not_found")]
    [InlineData(StatusCode.FailedPrecondition, 400, "image_generation_user_error", "moderation_blocked")]
    [InlineData(StatusCode.ResourceExhausted, 429, "requests", "rate_limit_exceeded")]
    [InlineData(StatusCode.Unauthenticated, 401, "invalid_request_error", "invalid_api_key")]
    [InlineData(StatusCode.Unavailable, 503, "service_unavailable_error", "service_unavailable")]
    [InlineData(StatusCode.DeadlineExceeded, 504, "server_error", "timeout")]
    [InlineData(StatusCode.Internal, 500, "server_error", null)]
    public void ToOpenAIError_Status_MapsToHttpStatusTypeAndCode(StatusCode code, int httpStatus, string type, string? errorCode)
    {
        var error = RpcErrorMapper.ToOpenAIError(new RpcException(new Status(code, "why")));

        Assert.Equal((httpStatus, type, errorCode, "why"), (error.HttpStatus, error.Type, error.Code, error.Message));
    }

    [Theory]
    [InlineData("parameters.quality", "quality")]
    [InlineData("parameters.extra.style", "style")]
    [InlineData("input_images[1]", "image")]
    [InlineData("config", "model")]
    [InlineData("prompt", "prompt")]
    public void ToOpenAIError_BadRequest_FirstViolationIsTheParam(string field, string param)
    {
        var status = RichStatus.Create(StatusCode.InvalidArgument, "bad", new Google.Rpc.BadRequest
        {
            FieldViolations = { new Google.Rpc.BadRequest.Types.FieldViolation { Field = field, Description = "d" } },
        });

        Assert.Equal(param, RpcErrorMapper.ToOpenAIError(status.ToRpcException()).Param);
    }

    [Fact]
    public void ToOpenAIError_ErrorInfoReason_BecomesTheCode()
    {
        var status = RichStatus.Create(StatusCode.FailedPrecondition, "blocked", new Google.Rpc.ErrorInfo { Reason = "CONTENT_POLICY_VIOLATION" });

        Assert.Equal("content_policy_violation", RpcErrorMapper.ToOpenAIError(status.ToRpcException()).Code);
    }

    [Fact]
    public void ToOpenAIError_RetryInfo_RoundedUpToWholeSeconds()
    {
        var status = RichStatus.Create(StatusCode.ResourceExhausted, "slow down", new Google.Rpc.RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(1500)) });

        Assert.Equal(2, RpcErrorMapper.ToOpenAIError(status.ToRpcException()).RetryAfterSeconds);
    }
}
