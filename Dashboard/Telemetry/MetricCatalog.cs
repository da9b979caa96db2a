namespace Dashboard.Telemetry;

/// <summary>The metric names each resource reports (at most <see cref="DashboardOptions.MaxMetricsPerResource"/> each).</summary>
public sealed class MetricCatalog(DashboardOptions options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, MetricData>> _byResource = new(StringComparer.Ordinal);

    public void Add(string resource, IEnumerable<MetricData> metrics)
    {
        lock (_gate)
        {
            if (!_byResource.TryGetValue(resource, out var known))
            {
                _byResource[resource] = known = new Dictionary<string, MetricData>(StringComparer.Ordinal);
            }
            foreach (var metric in metrics)
            {
                if (known.ContainsKey(metric.Name) || known.Count < options.MaxMetricsPerResource)
                {
                    known[metric.Name] = metric;
                }
            }
        }
    }

    /// <summary>The metrics of <paramref name="resource"/>, by name.</summary>
    public IReadOnlyList<MetricData> Get(string resource)
    {
        lock (_gate)
        {
            return _byResource.TryGetValue(resource, out var known) ? [.. known.Values.OrderBy(m => m.Name, StringComparer.Ordinal)] : [];
        }
    }
}
