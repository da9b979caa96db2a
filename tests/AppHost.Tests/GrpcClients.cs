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

    /// <summary>
    /// <c>Generate</c> on the gateway with <paramref name="apiKey"/>: the frames, and the status the stream ended with
    /// (OK, or the RpcException's).
    /// </summary>
    public static Task<(IReadOnlyList<GenerateFrame> Frames, Status Status)> GenerateAsync(Uri address, string apiKey, GenerateRequest request, CancellationToken ct) =>
        GenerateAndCancelAsync(address, apiKey, request, cancelAfter: _ => false, ct);

    /// <summary>
    /// <c>Generate</c> on the gateway with <paramref name="apiKey"/>, cancelled by the caller right after the first frame
    /// that matches <paramref name="cancelAfter"/>: the frames, and the status the stream ended with.
    /// </summary>
    public static async Task<(IReadOnlyList<GenerateFrame> Frames, Status Status)> GenerateAndCancelAsync(
        Uri address, string apiKey, GenerateRequest request, Func<GenerateFrame, bool> cancelAfter, CancellationToken ct)
    {
        using var channel = GrpcChannel.ForAddress(address);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var call = new ImageGeneration.ImageGenerationClient(channel).Generate(request,
            headers: Bearer(apiKey), deadline: DateTime.UtcNow + TestTimeouts.Default, cancellationToken: cancel.Token);
        var frames = new List<GenerateFrame>();
        try
        {
            await foreach (var frame in call.ResponseStream.ReadAllAsync(cancel.Token))
            {
                frames.Add(frame);
                if (cancelAfter(frame))
                {
                    await cancel.CancelAsync();
                }
            }
            return (frames, Status.DefaultSuccess);
        }
        catch (RpcException ex)
        {
            return (frames, ex.Status);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return (frames, new Status(StatusCode.Cancelled, "cancelled by the caller"));
        }
    }

    /// <summary><c>GetRun</c> on the gateway with <paramref name="apiKey"/>; the run, or the status it failed with.</summary>
    public static async Task<(Run? Run, Status Status)> GetRunAsync(Uri address, string apiKey, string runId, CancellationToken ct)
    {
        using var channel = GrpcChannel.ForAddress(address);
        try
        {
            var run = await new ImageGeneration.ImageGenerationClient(channel).GetRunAsync(new GetRunRequest { RunId = runId },
                headers: Bearer(apiKey), deadline: DateTime.UtcNow + TestTimeouts.Default, cancellationToken: ct);
            return (run, Status.DefaultSuccess);
        }
        catch (RpcException ex)
        {
            return (null, ex.Status);
        }
    }

    public static Metadata Bearer(string apiKey) => new() { { "authorization", $"Bearer {apiKey}" } };
}
