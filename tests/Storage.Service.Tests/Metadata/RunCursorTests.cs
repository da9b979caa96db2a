using Storage.Service.Metadata;

namespace Storage.Service.Tests.Metadata;

public sealed class RunCursorTests
{
    [Fact]
    public void Parse_IssuedToken_RoundTrips()
    {
        var cursor = new RunCursor(1_767_225_600_123_456, "run-1", "x_high\nwith newline");

        Assert.Equal(cursor, RunCursor.Parse(cursor.ToToken(), "x_high\nwith newline"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("%%%")]
    [InlineData("cjEKYWJjCnJ1bgo")]
    [InlineData("cjEKMTIKLi4vZXRjCgo")]
    public void Parse_Malformed_InvalidArgumentOnPageToken(string token)
    {
        var error = Assert.Throws<StorageException>(() => RunCursor.Parse(token, ""));

        Assert.Equal((StorageErrorKind.InvalidArgument, "page_token"), (error.Kind, error.Field));
    }
}
