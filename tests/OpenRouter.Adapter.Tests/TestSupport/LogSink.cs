using System.Collections.Concurrent;

namespace OpenRouter.Adapter.Tests.TestSupport;

/// <summary>Collects every log entry (Trace and up) in memory: message, structured values, scopes and exception.</summary>
internal sealed class LogSink : ILoggerProvider
{
    public sealed record Entry(string Category, LogLevel Level, string? EventName, string Text);

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
            entries.Enqueue(new Entry(category, LogLevel.Trace, "scope", Describe(state)));
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(category, logLevel, eventId.Name, $"{formatter(state, exception)} | {Describe(state)} | {exception}"));

        private static string Describe<TState>(TState state) => state is IEnumerable<KeyValuePair<string, object?>> values
            ? string.Join("; ", values.Select(v => $"{v.Key}={v.Value}"))
            : state?.ToString() ?? "";
    }
}
