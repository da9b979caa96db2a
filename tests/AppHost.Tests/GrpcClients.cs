using Grpc.Core;
using Grpc.Net.Client;
using Pipeline.Contracts.ImageGen.V1;

namespace AppHost.Tests;

/// <summary>Every use of a .NET gRPC client of the public API in these tests, in one place.</summary>
internal static class GrpcClients
{
    /// <summary>
    /// <c>imagegen.v1.ImageGeneration/ListConfigs</c> on <paramref name="address"/>, sent with a W3C <paramref name="traceparent"/>
    /// and the fleet's <paramref name="internalSecret"/> (an internal service refuses a call without it).
    /// </summary>
    public static async Task<int> ListConfigsAsync(Uri address, string traceparent, string internalSecret, CancellationToken ct)
    {
        using var channel = GrpcChannel.ForAddress(address);
        var headers = new Metadata { { "traceparent", traceparent }, { "x-pipeline-internal", internalSecret } };
        var configs = await new ImageGeneration.ImageGenerationClient(channel).ListConfigsAsync(new ListConfigsRequest(),
            headers: headers, deadline: DateTime.UtcNow + TestTimeouts.Default, cancellationToken: ct);
        return configs.Configs.Count;
    }
}
