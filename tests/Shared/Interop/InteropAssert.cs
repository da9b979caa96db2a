using System.Text.Json;

namespace Pipeline.Tests.Interop;

/// <summary>What a peer must observe of the public API, whatever stands behind the gateway (a fake router or the fleet).</summary>
internal static class InteropAssert
{
    /// <summary>Health <c>Check</c> answered SERVING.</summary>
    public static void Serving(InteropCaseResult result)
    {
        Assert.Equal("OK", result.Code);
        Assert.Equal("SERVING", result.Done.GetProperty("status").GetString());
    }

    /// <summary>Reflection listed <c>imagegen.v1.ImageGeneration</c> and health, and described the public service's file and methods.</summary>
    public static void ListsAndDescribesImageGeneration(InteropCaseResult result)
    {
        Assert.Equal("OK", result.Code);
        var services = Strings(result.Done.GetProperty("services"));
        Assert.Contains("imagegen.v1.ImageGeneration", services);
        Assert.Contains("grpc.health.v1.Health", services);
        var described = result.Done.GetProperty("described");
        Assert.Equal(JsonValueKind.Object, described.ValueKind);
        Assert.Equal("imagegen/v1/generation.proto", described.GetProperty("file").GetString());
        Assert.Equal(["Generate", "ListConfigs", "GetRun", "ListRuns", "Regenerate"], Strings(described.GetProperty("methods")));
    }

    /// <summary>
    /// INVALID_ARGUMENT whose <c>grpc-status-details-bin</c> the peer decoded into a <c>google.rpc.BadRequest</c> with one
    /// violation of <c>parameters.size</c> naming <paramref name="size"/> and the allowed values.
    /// </summary>
    public static void BadSize(InteropCaseResult result, string size)
    {
        Assert.Equal("INVALID_ARGUMENT", result.Code);
        Assert.Contains($"'{size}'", result.Details);
        var status = result.Done.GetProperty("status_details");
        Assert.Equal(JsonValueKind.Object, status.ValueKind);
        Assert.Equal(3, status.GetProperty("code").GetInt32());
        Assert.Contains("type.googleapis.com/google.rpc.BadRequest", Strings(status.GetProperty("types")));
        var violation = Assert.Single(result.Done.GetProperty("field_violations").EnumerateArray());
        Assert.Equal("parameters.size", violation.GetProperty("field").GetString());
        Assert.Contains($"'{size}'", violation.GetProperty("description").GetString());
        Assert.Contains("allowed: ", violation.GetProperty("description").GetString());
    }

    /// <summary>The strings of a JSON array.</summary>
    public static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
