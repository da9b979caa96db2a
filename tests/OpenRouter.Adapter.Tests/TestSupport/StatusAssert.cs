using Pipeline.Grpc;

namespace OpenRouter.Adapter.Tests.TestSupport;

/// <summary>Status assertions whose failure message shows the whole status.</summary>
internal static class StatusAssert
{
    public static void Ok(Status status) => Code(StatusCode.OK, status);

    public static void Code(StatusCode expected, Status status) =>
        Assert.True(status.Code == expected, $"expected {expected}, got {status}");
}
