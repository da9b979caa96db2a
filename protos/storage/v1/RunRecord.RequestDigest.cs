namespace Pipeline.Contracts.Storage.V1;

/// <summary>Comparing a run's request digest (see storage.proto, <c>RunRecord.request_digest</c>) with a new request's.</summary>
public sealed partial class RunRecord
{
    /// <summary>
    /// The parts of <paramref name="requested"/> that differ from this run's request, sorted; a part only one side has
    /// differs. None for a run recorded before request digests existed (it replays for whoever sends its id, as it did).
    /// </summary>
    public IReadOnlyList<string> RequestDifferences(IEnumerable<KeyValuePair<string, string>> requested)
    {
        if (RequestDigest.Count == 0)
        {
            return [];
        }
        var other = requested.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return [.. RequestDigest.Keys.Union(other.Keys)
            .Where(key => !RequestDigest.TryGetValue(key, out var was) || !other.TryGetValue(key, out var now) || was != now)
            .Order(StringComparer.Ordinal)];
    }
}
