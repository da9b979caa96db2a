using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Pipeline.ServiceDefaults.Grpc;
using Router.Service.Http;

namespace Router.Service.Tests.Http;

public sealed class HttpProblemsTests
{
    [Theory]
    [InlineData(StatusCode.OK, "OK")]
    [InlineData(StatusCode.InvalidArgument, "INVALID_ARGUMENT")]
    [InlineData(StatusCode.DeadlineExceeded, "DEADLINE_EXCEEDED")]
    [InlineData(StatusCode.ResourceExhausted, "RESOURCE_EXHAUSTED")]
    [InlineData(StatusCode.Unauthenticated, "UNAUTHENTICATED")]
    public void CodeName_GrpcSpelling(StatusCode code, string expected) => Assert.Equal(expected, HttpProblems.CodeName(code));

    [Theory]
    [InlineData(StatusCode.InvalidArgument, 400)]
    [InlineData(StatusCode.NotFound, 404)]
    [InlineData(StatusCode.ResourceExhausted, 429)]
    [InlineData(StatusCode.Unavailable, 503)]
    [InlineData(StatusCode.DeadlineExceeded, 504)]
    [InlineData(StatusCode.Unauthenticated, 401)]
    [InlineData(StatusCode.Internal, 500)]
    public void HttpStatus_GrpcSpecTable(StatusCode code, int expected) => Assert.Equal(expected, HttpProblems.HttpStatus(code));

    [Fact]
    public void ErrorEventJson_ViolationsAndRetryInfo_OneLineWithEveryField()
    {
        var status = RichStatus.Create(StatusCode.InvalidArgument, "two problems\nhere",
            new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = "parameters.n", Description = "n is 0" } } },
            new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(1500)) });

        var json = HttpProblems.ErrorEventJson(status);

        Assert.DoesNotContain('\n', json);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("INVALID_ARGUMENT", root.GetProperty("code").GetString());
        Assert.Equal(3, root.GetProperty("status").GetInt32());
        Assert.Equal("two problems\nhere", root.GetProperty("message").GetString());
        Assert.Equal("parameters.n", root.GetProperty("violations")[0].GetProperty("field").GetString());
        Assert.Equal("n is 0", root.GetProperty("violations")[0].GetProperty("description").GetString());
        Assert.Equal(2, root.GetProperty("retryAfterSeconds").GetInt32());
    }
}
