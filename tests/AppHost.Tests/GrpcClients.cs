using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Grpc;

namespace AppHost.Tests;

/// <summary>
/// Every use of a gRPC client in these tests, in one place: today the home-made <c>Pipeline.Grpc</c> channel; after the
/// Grpc.AspNetCore migration this file alone switches to Grpc.Net.Client.
/// </summary>
internal static class GrpcClients
{
    /// <summary><c>imagegen.v1.ImageGeneration/ListConfigs</c> on <paramref name="address"/>, sent with a W3C <paramref name="traceparent"/>.</summary>
    public static async Task<int> ListConfigsAsync(Uri address, string traceparent, CancellationToken ct)
    {
        using var channel = GrpcChannel.ForAddress(address);
        var headers = new Metadata().Add("traceparent", traceparent);
        var configs = await new ImageGenerationGrpc.ImageGenerationClient(channel)
            .ListConfigsAsync(new ListConfigsRequest(), CallOptions.WithTimeout(TestTimeouts.Default, ct) with { Headers = headers });
        return configs.Configs.Count;
    }
}
