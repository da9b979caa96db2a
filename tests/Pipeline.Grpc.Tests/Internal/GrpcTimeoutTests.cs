using Pipeline.Grpc.Internal;

namespace Pipeline.Grpc.Tests.Internal;

public sealed class GrpcTimeoutTests
{
    public static TheoryData<string, TimeSpan> ValidValues => new()
    {
        { "1S", TimeSpan.FromSeconds(1) },
        { "250m", TimeSpan.FromMilliseconds(250) },
        { "2H", TimeSpan.FromHours(2) },
        { "3M", TimeSpan.FromMinutes(3) },
        { "1500u", TimeSpan.FromMicroseconds(1500) },
        { "1000000n", TimeSpan.FromMilliseconds(1) },
        { "99999999S", TimeSpan.FromSeconds(99_999_999) },
        { "99999999H", TimeSpan.FromSeconds(99_999_999) },
    };

    [Theory]
    [MemberData(nameof(ValidValues))]
    public void Parse_ValidValue_Timeout(string value, TimeSpan expected)
    {
        Assert.Equal(expected, GrpcTimeout.Parse(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("5")]
    [InlineData("123456789S")]
    [InlineData("-1S")]
    [InlineData("+1S")]
    [InlineData("1x")]
    [InlineData("1.5S")]
    [InlineData(" 1S")]
    public void Parse_InvalidValue_NoDeadline(string? value)
    {
        Assert.Null(GrpcTimeout.Parse(value));
    }

    [Theory]
    [InlineData(0, "1n")]
    [InlineData(-5, "1n")]
    [InlineData(0.0004, "1m")]
    [InlineData(1.5, "2m")]
    [InlineData(250, "250m")]
    [InlineData(1000, "1S")]
    [InlineData(999_999.5, "1000S")]
    [InlineData(5_000_000.2, "5001S")]
    public void Encode_Timeout_ValueTheServerParsesBackAtLeastAsLong(double milliseconds, string expected)
    {
        var encoded = GrpcTimeout.Encode(TimeSpan.FromMilliseconds(milliseconds));

        Assert.Equal(expected, encoded);
        Assert.True(encoded.Length <= 9);
        Assert.True(GrpcTimeout.Parse(encoded) >= TimeSpan.FromMilliseconds(Math.Max(milliseconds, 0)));
    }

    [Fact]
    public void Encode_HugeTimeout_CappedAtEightDigits()
    {
        Assert.Equal("99999999S", GrpcTimeout.Encode(TimeSpan.FromDays(100_000)));
    }
}
