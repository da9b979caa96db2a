using System.Collections.Concurrent;
using Google.Protobuf;
using Pipeline.Contracts.ImageGen.V1;
using Grpc.Core;
using Microsoft.Extensions.Primitives;
using Pipeline.ServiceDefaults.Security;

namespace Gateway.Tests.TestSupport;

/// <summary>What the fake router does; tests change it before they call. Thread-safe enough for one test at a time.</summary>
internal sealed class FakeRouterScript
{
    /// <summary>The configs ListConfigs and /api/configs serve (localized per request).</summary>
    public ListConfigsResponse Catalogue { get; set; } = FakeCatalogue.Create();

    /// <summary>Thrown by Generate before any frame (a validation failure, say).</summary>
    public RpcException? FailBeforeAccepted { get; set; }

    /// <summary>Thrown by Generate after the partial frames (a mid-stream failure).</summary>
    public RpcException? FailAfterPartials { get; set; }

    /// <summary>When set, Generate resets its stream after sending this many frames, as a router that dies mid-stream.</summary>
    public int? DieAfterFrames { get; set; }

    /// <summary>When set, Generate waits for it after the partial frames and before the first final one.</summary>
    public TaskCompletionSource? HoldBeforeFinal { get; set; }

    /// <summary>Whether every final frame's cost is known (its cost is 1234 USD micros either way). Default true.</summary>
    public bool CostKnown { get; set; } = true;

    /// <summary>The revised prompt every final frame reports.</summary>
    public string RevisedPrompt { get; set; } = "";

    /// <summary>Pixel size of the images it draws.</summary>
    public int ImageSize { get; set; } = 48;

    /// <summary>
    /// When set, Generate sends Accepted for the requested config, then a Fallback frame naming this config (the requested
    /// one FAILED with UNAVAILABLE, <see cref="FallbackReason"/>), and the frames and Finals of this config.
    /// </summary>
    public string? FallbackTo { get; set; }

    /// <summary>Why the requested config failed when <see cref="FallbackTo"/> is set.</summary>
    public string FallbackReason { get; set; } = "provider down";

    /// <summary>How long Generate waits before each partial frame (a provider drawing); zero by default.</summary>
    public TimeSpan PartialDelay { get; set; } = TimeSpan.Zero;
}

/// <summary>One call the fake router received (gRPC method or HTTP route), with what the tests check about it.</summary>
/// <param name="Name">e.g. "grpc Generate", "GET /api/configs".</param>
/// <param name="Request">The request message, when there is one.</param>
/// <param name="Authorization">The authorization header/metadata the router saw (the gateway must remove it).</param>
/// <param name="Query">The query string of HTTP calls.</param>
internal sealed record RecordedCall(string Name, IMessage? Request, string? Authorization, string Query = "")
{
    /// <summary>Every request header (gRPC metadata) the router saw, by lower-case name; repeated ones joined with ", ".</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The caller the headers name, as the router reads them.</summary>
    public Caller Caller => Caller.From(new HeaderDictionary(Headers.ToDictionary(h => h.Key, h => new StringValues(h.Value))));

    /// <summary>The headers of an HTTP request.</summary>
    public static IReadOnlyDictionary<string, string> Of(IHeaderDictionary headers) =>
        headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());

    /// <summary>The metadata of a gRPC call (text entries).</summary>
    public static IReadOnlyDictionary<string, string> Of(Metadata metadata) =>
        metadata.Where(e => !e.IsBinary).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => string.Join(", ", g.Select(e => e.Value)));
}

/// <summary>The calls the fake router received, in order.</summary>
internal sealed class CallLog
{
    private readonly ConcurrentQueue<RecordedCall> _calls = new();

    public IReadOnlyList<RecordedCall> All => [.. _calls];

    public int Count => _calls.Count;

    public void Add(RecordedCall call) => _calls.Enqueue(call);

    public void Clear() => _calls.Clear();

    private readonly TaskCompletionSource<GenerateRequest> _generateCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<GenerateRequest> Generates => [.. _calls.Select(c => c.Request).OfType<GenerateRequest>()];

    /// <summary>Completes with the request of the first Generate whose caller cancelled it (or whose deadline passed) mid-stream.</summary>
    public Task<GenerateRequest> GenerateCancelled => _generateCancelled.Task;

    public void AddGenerateCancelled(GenerateRequest request)
    {
        Add(new RecordedCall("grpc Generate cancelled", request, null));
        _generateCancelled.TrySetResult(request);
    }
}
