using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Pipeline.Grpc.Internal;

namespace Pipeline.Grpc.Tests.Internal;

public sealed class StatusCodecTests
{
    [Fact]
    public void EncodeDecode_StatusWithRetryInfo_RoundTrips()
    {
        var status = new Status(StatusCode.ResourceExhausted, "Rate limited ☕ 100%")
            .WithDetails(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(2.5)) }, new ErrorInfo { Reason = "RATE_LIMIT", Domain = "test" });

        var headers = StatusCodec.Encode(status).ToDictionary(h => h.Key, h => h.Value);
        var decoded = StatusCodec.Decode(headers["grpc-status"], headers["grpc-message"], headers["grpc-status-details-bin"]);

        Assert.Equal("8", headers["grpc-status"]);
        Assert.DoesNotContain('=', headers["grpc-status-details-bin"]);
        Assert.All(headers.Values, v => Assert.All(v, c => Assert.InRange(c, ' ', '~')));
        Assert.NotNull(decoded);
        Assert.Equal(status.Code, decoded.Code);
        Assert.Equal(status.Detail, decoded.Detail);
        Assert.Equal(TimeSpan.FromSeconds(2.5), decoded.GetDetail<RetryInfo>()?.RetryDelay.ToTimeSpan());
        Assert.Equal("RATE_LIMIT", decoded.GetDetail<ErrorInfo>()?.Reason);
    }

    [Fact]
    public void Encode_OkWithoutMessage_OnlyGrpcStatus()
    {
        Assert.Equal([new("grpc-status", "0")], StatusCodec.Encode(Status.Ok));
    }

    [Fact]
    public void Decode_NoStatus_Null()
    {
        Assert.Null(StatusCodec.Decode(null, "ignored", null));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("17")]
    [InlineData("-1")]
    [InlineData(" 1")]
    public void Decode_UnparsableCode_Unknown(string value)
    {
        Assert.Equal(StatusCode.Unknown, StatusCodec.Decode(value, null, null)?.Code);
    }

    [Fact]
    public void Decode_BrokenDetails_CodeAndMessageKept()
    {
        var status = StatusCodec.Decode("14", "down", "not base64 !!");

        Assert.Equal(new Status(StatusCode.Unavailable, "down"), status);
    }
}
