using Storage.Service.Validation;

namespace Storage.Service.Tests.Validation;

public sealed class IdsTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("run_2026-01-01_ABC")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")]
    public void CheckRunId_Valid_Null(string id) => Assert.Null(Ids.CheckRunId(id));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("/etc/passwd")]
    [InlineData("C:\\x")]
    [InlineData("%2e%2e")]
    [InlineData("a b")]
    [InlineData("a\tb")]
    [InlineData("ünïcode")]
    [InlineData("01234567890123456789012345678901234567890123456789012345678901234")]
    public void CheckRunId_Invalid_ReasonNamesTheRule(string? id) =>
        Assert.Contains("[A-Za-z0-9_-]", Ids.CheckRunId(id), StringComparison.Ordinal);

    [Fact]
    public void CheckImageId_EightyChars_Valid() => Assert.Null(Ids.CheckImageId(new string('x', 80)));

    [Fact]
    public void CheckImageId_EightyOneChars_Invalid() => Assert.Contains("at most 80", Ids.CheckImageId(new string('x', 81)), StringComparison.Ordinal);

    [Theory]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", true)]
    [InlineData("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", false)]
    [InlineData("../b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", false)]
    [InlineData("e3b0", false)]
    public void IsSha256Hex_Cases(string value, bool expected) => Assert.Equal(expected, Ids.IsSha256Hex(value));
}
