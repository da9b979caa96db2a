namespace Dashboard.Telemetry;

/// <summary>
/// Per resource: structured log records (OTLP, keyed by <c>service.name</c>) and console lines (pushed by the AppHost),
/// each bounded, oldest dropped first.
/// </summary>
public sealed class LogStore(DashboardOptions options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, BoundedLog<LogData>> _structured = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BoundedLog<ConsoleLineData>> _console = new(StringComparer.Ordinal);

    public void AddStructured(IEnumerable<LogData> records)
    {
        lock (_gate)
        {
            foreach (var record in records)
            {
                For(_structured, record.Service, options.MaxLogsPerResource).Add(record);
            }
        }
    }

    public void AddConsole(string resource, IEnumerable<ConsoleLineData> lines)
    {
        lock (_gate)
        {
            var log = For(_console, resource, options.MaxConsoleLinesPerResource);
            foreach (var line in lines)
            {
                log.Add(line);
            }
        }
    }

    /// <summary>The last <paramref name="limit"/> console lines and structured records of <paramref name="resource"/>, oldest first.</summary>
    public (IReadOnlyList<ConsoleLineData> Console, IReadOnlyList<LogData> Structured) Get(string resource, int limit)
    {
        lock (_gate)
        {
            return (
                _console.TryGetValue(resource, out var console) ? console.Last(limit) : [],
                _structured.TryGetValue(resource, out var structured) ? structured.Last(limit) : []);
        }
    }

    private static BoundedLog<T> For<T>(Dictionary<string, BoundedLog<T>> logs, string resource, int capacity)
    {
        if (!logs.TryGetValue(resource, out var log))
        {
            logs[resource] = log = new BoundedLog<T>(capacity);
        }
        return log;
    }
}
