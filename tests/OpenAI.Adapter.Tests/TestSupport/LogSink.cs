using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OpenAI.Adapter.Tests.TestSupport;

/// <summary>Collects every log entry (message, exception, and structured state values) in memory.</summary>
internal sealed class LogSink : ILoggerProvider
{
    public sealed record Entry(string Category, LogLevel Level, string? EventName, string Message, string? Exception, IReadOnlyList<string> Values);

    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Select(p => $"{p.Key}={p.Value}").ToList()
                : [];
            entries.Enqueue(new Entry(category, logLevel, eventId.Name, formatter(state, exception), exception?.ToString(), values));
        }
    }
}
