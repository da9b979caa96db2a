using Router.Service.Generation;

namespace Router.Service.Tests.Generation;

public sealed class RunIdsTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("Run_2025-01-01")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")]
    public void Check_ValidRunId_NoProblem(string runId) => Assert.Null(RunIds.Check(runId));

    [Theory]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("%2e%2e")]
    [InlineData("a b")]
    [InlineData("a.b")]
    [InlineData("01234567890123456789012345678901234567890123456789012345678901234")]
    public void Check_PathCharactersOrTooLong_NamesTheRule(string runId) =>
        Assert.Contains(runId.Length > 64 ? "1-64" : "[A-Za-z0-9_-]", RunIds.Check(runId));

    [Fact]
    public void New_IsAValidDistinctRunId()
    {
        var first = RunIds.New();
        Assert.Null(RunIds.Check(first));
        Assert.NotEqual(first, RunIds.New());
    }

    [Fact]
    public void ImageId_RunAndIndex_StorageDefaultForm() => Assert.Equal("run-7-3", RunIds.ImageId("run-7", 3));
}
