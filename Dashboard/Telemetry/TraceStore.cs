namespace Dashboard.Telemetry;

/// <summary>
/// Spans grouped by trace, at most <see cref="DashboardOptions.MaxTraces"/> traces: when a new trace would exceed it,
/// the trace seen first is evicted. A span received twice (an exporter retry) replaces the first copy.
/// </summary>
public sealed class TraceStore(DashboardOptions options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _traces = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _firstSeen = new();

    /// <summary>Traces currently kept.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _traces.Count;
            }
        }
    }

    /// <summary>Adds spans of any traces; returns how many were dropped because their trace was full.</summary>
    public int Add(IEnumerable<SpanData> spans)
    {
        var dropped = 0;
        lock (_gate)
        {
            foreach (var span in spans)
            {
                if (!_traces.TryGetValue(span.TraceId, out var entry))
                {
                    entry = new Entry(_firstSeen.AddLast(span.TraceId));
                    _traces[span.TraceId] = entry;
                    while (_traces.Count > options.MaxTraces)
                    {
                        var oldest = _firstSeen.First!;
                        _firstSeen.RemoveFirst();
                        _traces.Remove(oldest.Value);
                    }
                }
                if (!entry.Add(span, options.MaxSpansPerTrace))
                {
                    dropped++;
                }
            }
        }
        return dropped;
    }

    /// <summary>The trace <paramref name="traceId"/> (hex, any case), or null when it is not (or no longer) kept.</summary>
    public TraceSnapshot? Get(string traceId)
    {
        lock (_gate)
        {
            return _traces.TryGetValue(traceId.ToLowerInvariant(), out var entry) ? entry.Snapshot(traceId.ToLowerInvariant()) : null;
        }
    }

    /// <summary>The <paramref name="limit"/> traces that started last, newest first; only those with a span of <paramref name="service"/> when given.</summary>
    public IReadOnlyList<TraceSnapshot> Recent(int limit, string? service = null)
    {
        lock (_gate)
        {
            return [.. _traces
                .Where(t => service is null || t.Value.Services.Contains(service))
                .OrderByDescending(t => t.Value.StartUnixNano)
                .Take(limit)
                .Select(t => t.Value.Snapshot(t.Key))];
        }
    }

    private sealed class Entry(LinkedListNode<string> node)
    {
        private readonly Dictionary<string, SpanData> _spans = new(StringComparer.Ordinal);
        private int _dropped;

        public LinkedListNode<string> Node { get; } = node;

        public HashSet<string> Services { get; } = new(StringComparer.Ordinal);

        public ulong StartUnixNano { get; private set; } = ulong.MaxValue;

        public bool Add(SpanData span, int maxSpans)
        {
            if (!_spans.ContainsKey(span.SpanId) && _spans.Count >= maxSpans)
            {
                _dropped++;
                return false;
            }
            _spans[span.SpanId] = span;
            Services.Add(span.Service);
            StartUnixNano = Math.Min(StartUnixNano, span.StartUnixNano);
            return true;
        }

        public TraceSnapshot Snapshot(string traceId) => new(traceId, [.. _spans.Values], _dropped);
    }
}
