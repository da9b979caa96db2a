using System.Text;
using Pipeline.Reliability.Fuzz;

namespace AppHost.Tests.Reliability;

/// <summary>The oracle's rule for requests Kestrel refuses before the fleet's code runs: counted apart, and only those.</summary>
public sealed class FuzzOracleTests
{
    private static FuzzRequest Get(string path) => new("GET", path, [], null, Envelope.Problem, "get-run");

    private static FuzzOutcome Answer(int status, string body = "", string? contentType = null) =>
        new(status, contentType, null, null, null, Encoding.UTF8.GetBytes(body), null);

    [Theory]
    [InlineData("/api/runs/%00")]
    [InlineData("/api/runs/%00/regenerate?x=1")]
    public void NulInThePath_KestrelsBare400_IsCountedAsRefusedByTheHttpServerNotAsAFailure(string path)
    {
        var verdict = FuzzOracle.Judge(Get(path), Answer(400), secrets: []);

        Assert.Equal(VerdictKind.RefusedByHttpServer, verdict.Kind);
        Assert.False(verdict.Failed);
    }

    [Fact]
    public void NulOnlyInTheQuery_Bare400_IsAWrongEnvelope()
    {
        var verdict = FuzzOracle.Judge(Get("/api/runs?page_token=%00"), Answer(400), secrets: []);

        Assert.Equal(VerdictKind.WrongEnvelope, verdict.Kind);
    }

    [Fact]
    public void NulInThePath_400WithABodyOutsideTheEnvelope_IsAWrongEnvelope()
    {
        var verdict = FuzzOracle.Judge(Get("/api/runs/%00"), Answer(400, "bad request", "text/plain"), secrets: []);

        Assert.Equal(VerdictKind.WrongEnvelope, verdict.Kind);
    }

    [Fact]
    public void NulInThePath_500_IsAServerErrorForAClientFault()
    {
        var verdict = FuzzOracle.Judge(Get("/api/runs/%00"), Answer(500), secrets: []);

        Assert.Equal(VerdictKind.ServerErrorForClientFault, verdict.Kind);
        Assert.True(verdict.Failed);
    }
}
