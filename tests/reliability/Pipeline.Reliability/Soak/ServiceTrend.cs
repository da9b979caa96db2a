namespace Pipeline.Reliability.Soak;

/// <summary>
/// How one service's memory and descriptors moved over the soak: at the start (before any load), after warm-up (the first
/// sample at or past the warm-up), and at the end (the last sample under load). The soak asks that RSS grows less than
/// <see cref="RssGrowthLimit"/> from after warm-up to the end, and that descriptors are flat: at the end no more than after
/// warm-up plus <see cref="DescriptorSlackFraction"/> of it (at least <see cref="DescriptorSlackMinimum"/>), and that the
/// service kept one process throughout.
/// </summary>
public sealed record ServiceTrend(string Service, ResourceSample Start, ResourceSample AfterWarmup, ResourceSample End, double PeakRssMb, int Processes)
{
    /// <summary>Largest RSS growth accepted from after warm-up to the end: 10%.</summary>
    public const double RssGrowthLimit = 0.10;

    /// <summary>Descriptors may end this fraction above the after-warm-up count: 10%.</summary>
    public const double DescriptorSlackFraction = 0.10;

    /// <summary>… and at least this many (a few sockets and timers come and go with the load).</summary>
    public const int DescriptorSlackMinimum = 5;

    /// <summary>(end − after warm-up) ÷ after warm-up.</summary>
    public double RssGrowth => AfterWarmup.RssBytes == 0 ? double.PositiveInfinity : (End.RssBytes - AfterWarmup.RssBytes) / (double)AfterWarmup.RssBytes;

    /// <summary>How many descriptors above the after-warm-up count the end may show.</summary>
    public int DescriptorSlack => Math.Max(DescriptorSlackMinimum, (int)Math.Ceiling(AfterWarmup.Descriptors * DescriptorSlackFraction));

    public bool DescriptorsFlat => End.Descriptors <= AfterWarmup.Descriptors + DescriptorSlack;

    /// <summary>What is wrong with this service's figures (empty when nothing is).</summary>
    public IEnumerable<string> Failures()
    {
        if (Processes > 1)
        {
            yield return $"{Service} restarted during the soak ({Processes} processes)";
        }
        if (RssGrowth >= RssGrowthLimit)
        {
            yield return $"{Service}: RSS grew {RssGrowth:0.0%} after warm-up ({AfterWarmup.RssMb:0} → {End.RssMb:0} MB; limit {RssGrowthLimit:0%})";
        }
        if (!DescriptorsFlat)
        {
            yield return $"{Service}: open descriptors not flat ({AfterWarmup.Descriptors} after warm-up → {End.Descriptors} at the end; slack {DescriptorSlack})";
        }
    }

    /// <summary>
    /// The trend of every service found in <paramref name="samples"/>: the first sample, the first at or after
    /// <paramref name="warmup"/>, and the last at or before <paramref name="end"/>. A service missing from a sample (it was down)
    /// is reported as a failure by the caller, not here.
    /// </summary>
    public static IReadOnlyList<ServiceTrend> From(IReadOnlyList<ResourceSample> samples, TimeSpan warmup, TimeSpan end, IReadOnlyDictionary<string, double> peaks) =>
        samples.GroupBy(s => s.Service, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var ordered = g.OrderBy(s => s.At).ToList();
            var underLoad = ordered.Where(s => s.At <= end).ToList();
            var last = underLoad.Count > 0 ? underLoad[^1] : ordered[^1];
            var afterWarmup = ordered.FirstOrDefault(s => s.At >= warmup && s.At <= last.At) ?? last;
            return new ServiceTrend(g.Key, ordered[0], afterWarmup, last, Math.Max(peaks.GetValueOrDefault(g.Key), ordered.Max(s => s.RssMb)),
                ordered.Select(s => s.Pid).Distinct().Count());
        }).ToList();
}
