using System.Diagnostics;
using Pipeline.ServiceDefaults.Telemetry;

namespace ServiceDefaults.Tests.Telemetry;

public sealed class GrpcSpanAttributesTests
{
    [Fact]
    public void OnEnd_GrpcServerSpan_AddsSystemServiceAndNumericStatusCode()
    {
        using var span = new Activity("POST");
        span.SetTag("rpc.system.name", "grpc");
        span.SetTag("rpc.method", "imagegen.v1.ImageGeneration/Generate");
        span.SetTag("rpc.response.status_code", "DEADLINE_EXCEEDED");

        new GrpcSpanAttributes().OnEnd(span);

        Assert.Equal("grpc", span.GetTagItem("rpc.system"));
        Assert.Equal("imagegen.v1.ImageGeneration", span.GetTagItem("rpc.service"));
        Assert.Equal("imagegen.v1.ImageGeneration/Generate", span.GetTagItem("rpc.method"));
        Assert.Equal(4, span.GetTagItem("rpc.grpc.status_code"));
    }

    [Fact]
    public void OnEnd_PlainHttpSpan_AddsNothing()
    {
        using var span = new Activity("GET /api/configs");
        span.SetTag("http.route", "/api/configs");

        new GrpcSpanAttributes().OnEnd(span);

        Assert.Null(span.GetTagItem("rpc.system"));
        Assert.Null(span.GetTagItem("rpc.service"));
        Assert.Null(span.GetTagItem("rpc.grpc.status_code"));
    }
}
