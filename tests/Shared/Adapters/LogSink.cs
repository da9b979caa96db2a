using System.Collections.Concurrent;

namespace Pipeline.Tests.Adapters;

/// <summary>Collects every log entry (Trace and up) in memory: message, structured values, scopes and exception.</summary>
internal sealed class LogSink : ILoggerProvider
{
    /// <summary>One entry; a scope is an entry of its own (Trace, event name "scope").</summary>
    public sealed record Entry(string Category, LogLevel Level, string? EventName, string Message, string? Exception, IReadOnlyList<string> Values)
    {
        /// <summary>Message, structured values and exception in one string, for failure messages and leak scans.</summary>
        public string Text => $"{Message} | {string.Join("; ", Values)} | {Exception}";
    }

    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            entries.Enqueue(new Entry(category, LogLevel.Trace, "scope", state.ToString() ?? "", null, Values(state)));
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(category, logLevel, eventId.Name, formatter(state, exception), exception?.ToString(), Values(state)));

        private static List<string> Values<TState>(TState state) => state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? [.. pairs.Select(p => $"{p.Key}={p.Value}")]
            : [];
    }
}
