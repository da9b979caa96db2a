namespace Pipeline.Reliability.Fuzz;

/// <summary>Per-case seeds: a SplitMix64 step of (plan seed, index), so any case can be replayed alone from its seed.</summary>
public static class FuzzSeeds
{
    public static int ForCase(int planSeed, int index)
    {
        var z = unchecked(((ulong)(uint)planSeed << 32) + (ulong)(uint)index + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }

    /// <summary>
    /// Which target case <paramref name="index"/> attacks: a fixed repeating spread (per 20 cases: 5 OpenAI JSON, 3
    /// multipart, 4 router API, 4 gRPC, 3 catalogue, 1 provider reply), so any slice covers every target.
    /// </summary>
    public static FuzzTarget TargetOf(int index) => (index % 20) switch
    {
        0 or 4 or 8 or 12 or 16 => FuzzTarget.OpenAIJson,
        1 or 9 or 17 => FuzzTarget.MultipartEdits,
        2 or 6 or 10 or 14 => FuzzTarget.RouterApi,
        3 or 7 or 11 or 15 => FuzzTarget.GrpcFrames,
        5 or 13 or 18 => FuzzTarget.Catalogue,
        _ => FuzzTarget.ProviderReplies,
    };
}
