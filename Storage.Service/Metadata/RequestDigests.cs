using Google.Protobuf.Collections;

namespace Storage.Service.Metadata;

/// <summary>What a claim compares: the stored request digest against the claiming one.</summary>
internal static class RequestDigests
{
    /// <summary>The keys whose values differ, sorted; a key present on one side only differs.</summary>
    public static IReadOnlyList<string> Differences(MapField<string, string> stored, MapField<string, string> claimed) =>
    [
        .. stored.Keys.Union(claimed.Keys)
            .Where(key => !stored.TryGetValue(key, out var was) || !claimed.TryGetValue(key, out var now) || was != now)
            .Order(StringComparer.Ordinal),
    ];
}
