using Pipeline.Grpc.Internal;

namespace Pipeline.Grpc.Tests.Internal;

public sealed class PercentEncodingTests
{
    [Theory]
    [InlineData("plain ASCII stays as it is", "plain ASCII stays as it is")]
    [InlineData("100%", "100%25")]
    [InlineData("café", "caf%C3%A9")]
    [InlineData("line\nbreak\ttab", "line%0Abreak%09tab")]
    [InlineData("☕", "%E2%98%95")]
    [InlineData("~ and space", "~ and space")]
    public void Encode_Message_PercentEncodesUtf8BytesOutsidePrintableAsciiAndPercent(string message, string expected)
    {
        Assert.Equal(expected, PercentEncoding.Encode(message));
    }

    [Theory]
    [InlineData("Ünïcødé ☕ — 100% done, 5 €")]
    [InlineData("%")]
    [InlineData("%%41%")]
    [InlineData("emoji 😀 surrogate pair")]
    [InlineData("")]
    public void EncodeDecode_AnyText_RoundTrips(string message)
    {
        Assert.Equal(message, PercentEncoding.Decode(PercentEncoding.Encode(message)));
    }

    [Theory]
    [InlineData("50%", "50%")]
    [InlineData("%zz ok", "%zz ok")]
    [InlineData("%4", "%4")]
    [InlineData("a%41b", "aAb")]
    [InlineData("%e2%98%95", "☕")]
    public void Decode_BrokenOrLowerCaseEscapes_NeverFails(string value, string expected)
    {
        Assert.Equal(expected, PercentEncoding.Decode(value));
    }
}
