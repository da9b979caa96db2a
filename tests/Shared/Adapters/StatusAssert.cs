using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;
using Pipeline.ServiceDefaults.Grpc;

namespace Pipeline.Tests.Adapters;

/// <summary>Status assertions whose failure message shows the whole status, details included.</summary>
internal static class StatusAssert
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithTypeRegistry(TypeRegistry.FromFiles(ErrorDetailsReflection.Descriptor)));

    public static void Ok(Google.Rpc.Status status) => Code(StatusCode.OK, status);

    public static void Code(StatusCode expected, Google.Rpc.Status status) =>
        Assert.True(status.GetStatusCode() == expected, $"expected {expected}, got {Describe(status)}");

    /// <summary>Code, message and every detail (ErrorInfo, RetryInfo, BadRequest, …) as JSON.</summary>
    public static string Describe(Google.Rpc.Status status) => Json.Format(status);
}
