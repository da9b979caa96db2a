using System.Text.Json;

namespace Pipeline.Tests.Interop;

/// <summary>What an interop peer printed for one case: its observations in order, then its "done" line.</summary>
/// <param name="Peer">The peer that ran the case.</param>
/// <param name="Case">The case name, e.g. "generate".</param>
/// <param name="Observations">Every JSON line before "done" (frames, listed services, …), as the peer printed them.</param>
/// <param name="Done">The last line: <c>{"done": true, "case", "code", "details", …case results}</c>.</param>
public sealed record InteropCaseResult(InteropPeerKind Peer, string Case, IReadOnlyList<JsonElement> Observations, JsonElement Done)
{
    /// <summary>The final status as the peer named it: "OK", "INVALID_ARGUMENT", "CANCELLED", ….</summary>
    public string Code => Done.GetProperty("code").GetString()!;

    /// <summary>The status message the peer received ("" on OK).</summary>
    public string Details => Done.GetProperty("details").GetString() ?? "";

    /// <summary>The Generate frames among the observations, each with its kind ("frame") and arrival time ("t_ms").</summary>
    public IReadOnlyList<JsonElement> Frames => [.. Observations.Where(o => o.TryGetProperty("frame", out _))];

    /// <summary>The frames' kinds in arrival order, e.g. ["accepted", "partial", "partial", "final"].</summary>
    public IReadOnlyList<string> FrameKinds => [.. Frames.Select(f => f.GetProperty("frame").GetString()!)];

    public override string ToString() =>
        $"{Peer} {Case}: {Code} {Details}{Environment.NewLine}" + string.Join(Environment.NewLine, Observations.Append(Done).Select(o => "  " + o.GetRawText()));
}
