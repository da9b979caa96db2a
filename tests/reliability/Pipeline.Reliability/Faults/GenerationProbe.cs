using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Reliability.Fleet;

namespace Pipeline.Reliability.Faults;

/// <summary>
/// Generate calls through the gateway's gRPC endpoint on a config without fallbacks (so a provider fault reaches the
/// caller), each with a deadline, timed from the call to its status; and GetRun for what was stored.
/// </summary>
internal sealed class GenerationProbe : IDisposable
{
    /// <summary>GPT Image 1 mini on the OpenAI Images API: no fallbacks, partial images streamed.</summary>
    public const string Config = "gpt-image-1-mini";

    private readonly GrpcChannel _channel;
    private readonly ImageGeneration.ImageGenerationClient _client;
    private readonly Metadata _auth;

    public GenerationProbe(FleetUnderTest fleet)
    {
        _channel = GrpcChannel.ForAddress(fleet.GatewayGrpc);
        _client = new ImageGeneration.ImageGenerationClient(_channel);
        _auth = new Metadata { { "authorization", $"Bearer {fleet.ApiKey}" } };
    }

    /// <summary>
    /// One generation of <paramref name="images"/> image(s) with <paramref name="partials"/> partials each, under run id
    /// <paramref name="runId"/> (empty: the router assigns one), with a unique prompt so every image has its own SHA-256.
    /// <paramref name="onFrame"/> sees each frame as it arrives (e.g. to kill a process on the first partial).
    /// </summary>
    public async Task<CallOutcome> GenerateAsync(
        string runId, int images, int partials, TimeSpan deadline, Func<GenerateFrame, Task>? onFrame, CancellationToken cancellationToken)
    {
        var request = new GenerateRequest
        {
            Prompt = $"fault matrix {runId} {Guid.NewGuid():N}",
            Config = Config,
            RunId = runId,
            Parameters = new GenerationParameters { Size = "1024x1024", Quality = "low", N = images, PartialImages = partials },
        };
        // The suite's own guard: a call that outlives its deadline by more than the grace is abandoned and reported hung.
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(deadline + CallOutcome.Grace + TimeSpan.FromSeconds(10));
        var finals = new List<FinishReason>();
        var accepted = runId;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var call = _client.Generate(request, _auth, DateTime.UtcNow + deadline, guard.Token);
            await foreach (var frame in call.ResponseStream.ReadAllAsync(guard.Token))
            {
                if (frame.Accepted is { } a)
                {
                    accepted = a.RunId;
                }
                if (frame.Final is { } f)
                {
                    finals.Add(f.FinishReason);
                }
                if (onFrame is not null)
                {
                    await onFrame(frame);
                }
            }
            return new CallOutcome(accepted, StatusCode.OK, "", stopwatch.Elapsed.TotalSeconds, deadline, false, finals);
        }
        catch (RpcException ex) when (!(guard.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
        {
            return new CallOutcome(accepted, ex.StatusCode, ex.Status.Detail, stopwatch.Elapsed.TotalSeconds, deadline, false, finals);
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException && guard.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new CallOutcome(accepted, StatusCode.Cancelled, "hung: no status by the deadline", stopwatch.Elapsed.TotalSeconds, deadline, true, finals);
        }
    }

    /// <summary>The SHA-256 of every image storage holds for <paramref name="runId"/> (none when the run is unknown).</summary>
    public async Task<IReadOnlyList<string>> StoredAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            var run = await _client.GetRunAsync(new GetRunRequest { RunId = runId }, _auth, DateTime.UtcNow.AddSeconds(30), cancellationToken);
            return [.. run.Images.Select(i => i.Sha256.ToLowerInvariant())];
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return [];
        }
    }

    public void Dispose() => _channel.Dispose();
}
