using Google.Rpc;
using Pipeline.ServiceDefaults.Grpc;
using StatusCode = Grpc.Core.StatusCode;

namespace ServiceDefaults.Tests.Grpc;

public class RichStatusTests
{
    [Fact]
    public void Create_EchoOfAHugeValue_MessageAndViolationsAreCutSoTheStatusFitsInTrailers()
    {
        var huge = new string('é', 4_000_000);
        var badRequest = new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = "parameters.quality", Description = $"quality = '{huge}' is not allowed" } } };

        var status = RichStatus.Create(StatusCode.InvalidArgument, $"Invalid request: quality = '{huge}'", badRequest);

        Assert.Equal(RichStatus.MaxTextLength + 1, status.Message.Length);
        Assert.EndsWith("…", status.Message, StringComparison.Ordinal);
        var violation = Assert.Single(status.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal(("parameters.quality", RichStatus.MaxTextLength + 1), (violation.Field, violation.Description.Length));
        Assert.True(status.CalculateSize() < 8 * 1024);
    }

    [Fact]
    public void Create_ShortTexts_AreKeptAsTheyAre()
    {
        var status = RichStatus.Create(StatusCode.NotFound, "run 'x' does not exist");

        Assert.Equal("run 'x' does not exist", status.Message);
    }
}
