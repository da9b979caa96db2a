using Pipeline.Cli;

namespace AppHost.Tests.Cli;

/// <summary>The CLI's local checks and exit codes that need no fleet: bad arguments exit 2, an unreachable gateway exits 4.</summary>
public sealed class CliArgumentTests
{
    private static readonly Dictionary<string, string> WithKey = new() { ["PIPELINE_API_KEY"] = "pk-unit", ["PIPELINE_URL"] = $"http://127.0.0.1:{LoopbackPort.Free()}" };

    [Theory]
    [InlineData("generate")]                                  // prompt missing
    [InlineData("generate", "a fox", "--n", "two")]           // not a number
    [InlineData("generate", "a fox", "--format", "gif")]      // not one of png, jpeg, webp
    [InlineData("generate", "a fox", "--no-such-option")]
    [InlineData("edit", "a fox")]                             // --image missing
    [InlineData("runs", "--limit", "0")]
    [InlineData("runs", "--status", "done")]
    [InlineData("frobnicate")]
    [InlineData]                                              // no command
    public async Task ParseError_ExitsTwoWithTheParsersMessage(params string[] args)
    {
        var result = await CliRunner.RunAsync(WithKey, args, TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(ExitCodes.BadArguments, result.ExitCode);
        Assert.Contains("error:", result.Error);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Edit_MissingImageFile_ExitsTwoNamingTheFile()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"pipeline-cli-missing-{Guid.NewGuid():N}.png");

        var result = await CliRunner.RunAsync(WithKey, ["edit", "make it blue", "--image", missing], TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(ExitCodes.BadArguments, result.ExitCode);
        Assert.Contains($"no such file: {missing}", result.Error);
    }

    [Fact]
    public async Task NoApiKey_ExitsTwoSayingWhereTheKeyComesFrom()
    {
        var result = await CliRunner.RunAsync(new Dictionary<string, string>(), ["configs"], TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(ExitCodes.BadArguments, result.ExitCode);
        Assert.Contains("PIPELINE_API_KEY", result.Error);
    }

    [Fact]
    public async Task NothingListeningAtTheAddress_ExitsFourUnavailable()
    {
        var result = await CliRunner.RunAsync(WithKey, ["configs"], TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.Contains("unavailable (UNAVAILABLE)", result.Error);
    }

    [Fact]
    public async Task Help_ExitsZeroListingEveryCommand()
    {
        var result = await CliRunner.RunAsync(WithKey, ["--help"], TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        foreach (var command in new[] { "configs", "generate", "edit", "runs", "run", "regenerate", "get" })
        {
            Assert.Contains($"  {command} ", result.Out);
        }
    }
}
