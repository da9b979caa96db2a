namespace Pipeline.Reliability.Soak;

/// <summary>One service's resident memory and open file descriptors at one moment of the soak.</summary>
/// <param name="At">Time since the soak started.</param>
/// <param name="Service">The AppHost resource name.</param>
/// <param name="Pid">The service process (a new pid means it restarted).</param>
/// <param name="RssBytes">VmRSS.</param>
/// <param name="Descriptors">Entries of <c>/proc/{pid}/fd</c>.</param>
public sealed record ResourceSample(TimeSpan At, string Service, int Pid, long RssBytes, int Descriptors)
{
    public double RssMb => RssBytes / 1e6;

    /// <summary>Every service of <paramref name="processes"/> (service → pid) now.</summary>
    public static IEnumerable<ResourceSample> Take(TimeSpan at, IReadOnlyDictionary<string, int> processes) =>
        processes.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
            new ResourceSample(at, p.Key, p.Value, ProcessProbe.ReadRssBytes(p.Value), ProcessProbe.CountOpenDescriptors(p.Value)));
}
